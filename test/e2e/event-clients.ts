/** Event clients for the e2e tests: an SSE reader and a loopback webhook receiver. */
import { createServer } from 'node:http';
import type { GatewayEndpoint } from './network';

/** Every change `user`'s event stream replays from the start of the log (up to its `: replayed` mark). */
export async function streamedChanges(net: GatewayEndpoint, user: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${net.urlFor(user)}/events?after=0`, { headers: { authorization: await net.bearer(user) } });
  const reader = res.body!.getReader();
  const changes: Record<string, unknown>[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data) changes.push(...(JSON.parse(data) as { changes: Record<string, unknown>[] }).changes);
    }
    if (frames.includes(': replayed')) break;
  }
  await reader.cancel();
  return changes;
}

/** A loopback receiver of webhook deliveries: the changes each hook got, in delivery order. */
export async function webhookReceiver(): Promise<{ url: (owner: string) => string; got: Map<string, Record<string, unknown>[]>; close: () => Promise<void> }> {
  const got = new Map<string, Record<string, unknown>[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const owner = (req.url ?? '').slice(1);
      got.set(owner, [...(got.get(owner) ?? []), ...(JSON.parse(body) as { changes: Record<string, unknown>[] }).changes]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: (owner) => `http://127.0.0.1:${port}/${owner}`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}
