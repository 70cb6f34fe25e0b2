import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { drainRequest, type DrainLimits } from './drain';

let server: Server;
let port: number;
let limits: DrainLimits;
let outcome: Promise<boolean>;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    outcome = drainRequest(req, limits);
    void outcome.then(() => res.end('done'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a head and then `parts` of a body, `gapMs` apart; resolves when the server answers or closes. */
function send(head: string, parts: string[], gapMs = 0): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.write(head);
    parts.forEach((part, i) => setTimeout(() => !socket.destroyed && socket.write(part), gapMs * (i + 1)));
  });
}

const post = (length: number | 'chunked') =>
  `POST / HTTP/1.1\r\nHost: t\r\n${length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`}\r\n\r\n`;

test('reads a body to its end and says so', async () => {
  limits = { maxBytes: 1000, maxMs: 2000 };
  await send(post(10), ['01234', '56789'], 20);
  await expect(outcome).resolves.toBe(true);
});

test('gives up past the byte limit (chunked, so the length is not known up front)', async () => {
  limits = { maxBytes: 100, maxMs: 2000 };
  await send(post('chunked'), ['c8\r\n' + 'x'.repeat(200) + '\r\n', '0\r\n\r\n'], 20);
  await expect(outcome).resolves.toBe(false);
});

// No body byte is ever sent: waiting for it would last the minute, past the test's own timeout.
test('does not wait for a body declared larger than the byte limit', async () => {
  limits = { maxBytes: 100, maxMs: 60_000 };
  await send(post(1_000_000), []);
  await expect(outcome).resolves.toBe(false);
}, 5_000);

test('gives up after the time limit on a client that stops sending', async () => {
  limits = { maxBytes: 1000, maxMs: 150 };
  await send(post(10), ['01234']);
  await expect(outcome).resolves.toBe(false);
});
