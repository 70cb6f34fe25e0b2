/**
 * Live updates: the gateway's Server-Sent Events stream read with fetch (EventSource cannot send
 * the bearer token). Events carry ids and actions only; the console uses them as "something
 * changed" signals and re-reads what it shows.
 */
import { token } from './api.js';

/** Calls `onEvent` for every event until the returned function is called. */
export function follow(onEvent: () => void): () => void {
  const abort = new AbortController();
  void (async () => {
    try {
      const res = await fetch('/events', { headers: { authorization: `Bearer ${token() ?? ''}`, accept: 'text/event-stream' }, signal: abort.signal });
      if (!res.ok || !res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        if (frames.some((frame) => /^data:/m.test(frame))) onEvent();
      }
    } catch {
      // Aborted on leaving the view, or the stream ended: the view still works without it.
    }
  })();
  return () => abort.abort();
}
