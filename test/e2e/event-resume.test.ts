/**
 * Events across a gateway restart: a webhook and an SSE client of one organisation's gateway get
 * every event committed while that gateway was down, once each and in order. Runs on the devnet
 * and, under `npm run test:fabric`, on real Fabric (the restarted gateway is Hospital 1's).
 */
import { createServer, type Server } from 'node:http';
import { typedClient } from './client';
import { client, localAddressToward, uid, urlHost, researchConsent } from './http';
import { startJourneys, type GatewayEndpoint, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
let receiver: Server;
let hookUrl: string;
/** Transaction ids delivered to the webhook, in delivery order. */
const delivered: string[] = [];

beforeAll(async () => {
  // It restarts its gateway: a network of its own, not the worker's shared one.
  net = await startJourneys('events', { own: true });
  api = client(net);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      delivered.push((JSON.parse(body) as { txId: string }).txId);
      res.writeHead(200).end();
    });
  });
  // The receiver must be reachable from Hospital 1's gateway, wherever it runs: loopback beside an
  // in-process gateway, this host's bridge address for a gateway in a network namespace.
  const address = await localAddressToward(net.urlFor('auditor1'));
  await new Promise<void>((r) => receiver.listen(0, address, r));
  hookUrl = `http://${urlHost(address)}:${(receiver.address() as { port: number }).port}/hook`;
}, 120_000);
afterAll(async () => {
  await net?.stop();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

const consentBody = researchConsent;

/** Polls until `check` holds; a persistent ledger's history may take a while to catch up on. */
async function until(check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads the SSE stream from `after` until `enough` holds for what was read (or 30 s pass). */
async function sseIds(endpoint: GatewayEndpoint, after: string, enough: (read: { id: string; txId: string }[]) => boolean): Promise<{ id: string; txId: string }[]> {
  // Last-Event-ID is how an EventSource resumes; the stream is read frame by frame, not parsed.
  const { data: stream } = await typedClient(endpoint, 'auditor1').GET('/events', { params: { query: { types: 'consent' }, header: { 'last-event-id': after } }, parseAs: 'stream' });
  const reader = stream!.getReader();
  const out: { id: string; txId: string }[] = [];
  let buffer = '';
  const timer = setTimeout(() => void reader.cancel(), 30_000);
  while (!enough(out)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (id && data) out.push({ id, txId: (JSON.parse(data) as { txId: string }).txId });
    }
  }
  clearTimeout(timer);
  await reader.cancel();
  return out;
}

test('events across a gateway restart: nothing lost, nothing duplicated', async () => {
  const hook = await api.as('auditor1').POST('/webhooks', { body: { url: hookUrl, types: ['consent'] } });
  expect(hook.response.status).toBe(201);
  expect(hook.data?.secret).toMatch(/^whsec_/);

  const txBefore: string[] = [];
  for (const id of [uid('ev'), uid('ev')]) {
    const { response } = await api.as('patient1').POST('/consents', { body: consentBody(id) });
    expect(response.status).toBe(201);
    txBefore.push(response.headers.get('x-transaction-id')!);
  }
  await until(() => txBefore.every((tx) => delivered.includes(tx)));
  // An SSE client that has read up to the second event before the restart.
  const seen = await sseIds(net, '0', (read) => read.some((e) => e.txId === txBefore[1]));
  const lastSeen = seen.find((e) => e.txId === txBefore[1])!;
  expect(lastSeen).toBeDefined();

  // Hospital 1's gateway stops; the ledger moves on through another gateway of the same
  // organisation meanwhile; then it restarts on its own data directory and resumes from its checkpoint.
  const txDuring: string[] = [];
  await net.restartGateway('auditor1', async (spare) => {
    for (const id of [uid('ev'), uid('ev')]) {
      const { response } = await typedClient(spare, 'patient1').POST('/consents', { body: consentBody(id) });
      expect(response.status).toBe(201);
      txDuring.push(response.headers.get('x-transaction-id')!);
    }
  });

  await until(() => txDuring.every((tx) => delivered.includes(tx)));
  const all = [...txBefore, ...txDuring];
  expect(delivered.filter((tx) => all.includes(tx))).toEqual(all);
  // The SSE client resumes with Last-Event-ID: exactly the events it missed, once each, in order.
  // Only this run's events are compared: on a persistent ledger others may commit consents too.
  const resumed = await sseIds(net, lastSeen.id, (read) => txDuring.every((tx) => read.some((e) => e.txId === tx)));
  expect(resumed.map((e) => e.txId).filter((tx) => all.includes(tx))).toEqual(txDuring);
}, 180_000);
