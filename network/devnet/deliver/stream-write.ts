/** Writing to a server stream with back-pressure, shared by Deliver and ChaincodeEvents. */
import type { Writable } from 'node:stream';

/**
 * Writes `message`; when the stream's buffer is full, waits for 'drain' (or for `signal`, when
 * the client has gone away) so a slow client cannot make the peer buffer without bound.
 */
export async function writeWithBackPressure<T>(stream: Writable & { write(message: T): boolean }, message: T, signal: AbortSignal): Promise<void> {
  if (stream.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
