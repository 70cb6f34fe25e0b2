import { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { clientErrorHandler } from './problem-handler';

/** A socket that records what the handler writes to it. */
class RecordingSocket extends Duplex {
  written = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written += chunk.toString('utf8');
    done();
  }
  override _read(): void {}
}

const app = { log: { info: () => undefined } } as unknown as FastifyInstance;

/** What Node's HTTP server reports before any route runs, answered as problem+json. */
test.each([
  ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
  ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
  ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST'],
])('%s → %i problem+json, then the connection closes', (code, status, problemCode) => {
  const socket = new RecordingSocket();
  socket.on('error', () => undefined); // destroy(err) re-emits the parser's error
  clientErrorHandler.call(app, Object.assign(new Error(code), { code }), socket);
  const [head = '', body = ''] = socket.written.split('\r\n\r\n');
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/\r\nContent-Type: application\/problem\+json/);
  expect(head).toMatch(/\r\nConnection: close/);
  expect(JSON.parse(body)).toMatchObject({ status, code: problemCode });
  expect(socket.destroyed).toBe(true);
});
