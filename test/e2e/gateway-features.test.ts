/**
 * Gateway features end to end on the devnet: offline signing with a patient-held key,
 * Idempotency-Key without a second transaction, and event delivery (SSE + webhook) across a
 * gateway restart with nothing lost and nothing duplicated.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signers } from '@hyperledger/fabric-gateway';
import { issueToken } from '@healthledger/gateway/auth/tokens';
import { startGateway } from '@healthledger/gateway/server';
import { client, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startE2e('features');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';
const consentBody = (consentId: string) => ({
  consentId,
  patientRef: PATIENT1,
  grantee: { org: 'Hospital2MSP' },
  period: { start: '2020-01-01' },
  provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
});

test('offline signing: the patient signs every step with a key the gateway never sees', async () => {
  const user = net.devnet.descriptor.orgs.flatMap((o) => o.users).find((u) => u.name === 'patient1')!;
  const sign = signers.newPrivateKeySigner(createPrivateKey(readFileSync(user.key)));
  const signB64 = async (digest: string) => Buffer.from(await sign(Buffer.from(digest, 'base64'))).toString('base64');

  const consentId = uid('off');
  const prepared = await api.post('patient1', '/offline/proposals', { fn: 'consent:grantConsent', request: consentBody(consentId) });
  expect(prepared.status).toBe(201);
  const endorsed = await api.post('patient1', '/offline/proposals/endorsement', { proposal: prepared.body.proposal, signature: await signB64(prepared.body.digest) });
  expect(endorsed.status).toBe(200);
  expect(endorsed.body.result).toMatchObject({ consentId });
  const submitted = await api.post('patient1', '/offline/transactions/submission', { transaction: endorsed.body.transaction, signature: await signB64(endorsed.body.digest) });
  expect(submitted.status).toBe(200);
  const status = await api.post('patient1', '/offline/commits/status', { commit: submitted.body.commit, signature: await signB64(submitted.body.digest) });
  expect(status.body).toMatchObject({ txId: prepared.body.txId, successful: true, code: 0 });
  expect((await api.get('patient1', `/consents/${consentId}`)).body).toMatchObject({ consentId });

  // A signature by another key is refused by the ledger, not silently accepted.
  const other = signers.newPrivateKeySigner(createPrivateKey(readFileSync(net.devnet.descriptor.orgs[0]!.users[0]!.key)));
  const again = await api.post('patient1', '/offline/proposals', { fn: 'consent:grantConsent', request: consentBody(uid('off')) });
  const forged = Buffer.from(await other(Buffer.from(again.body.digest, 'base64'))).toString('base64');
  const refused = await api.post('patient1', '/offline/proposals/endorsement', { proposal: again.body.proposal, signature: forged });
  expect([refused.status, refused.body.code]).toEqual([403, 'LEDGER_ACCESS_DENIED']);
  expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  expect(JSON.stringify(refused.body)).not.toMatch(/peer0|example\.com|:\d{4,5}/);
});

test('Idempotency-Key: a retried grant returns the same answer and commits once', async () => {
  const consentId = uid('idem');
  const key = uid('key');
  const first = await api.post('patient1', '/consents', consentBody(consentId), { 'idempotency-key': key });
  const second = await api.post('patient1', '/consents', consentBody(consentId), { 'idempotency-key': key });
  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body).toEqual(first.body);
  expect(second.headers.get('x-transaction-id')).toBe(first.headers.get('x-transaction-id'));
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  const history = await api.get('auditor1', `/audit/history/consent/${consentId}`);
  expect(history.body.items).toHaveLength(1);
  // Without the key, the same request is a second transaction, which the contract refuses.
  expect((await api.post('patient1', '/consents', consentBody(consentId))).status).toBe(409);
});

test('real-Fabric configuration: FABRIC_* variables and a test-network identity directory, no dev token endpoint', async () => {
  const secret = 'a-shared-hs256-secret-for-this-test-only';
  const material = path.join(path.dirname(net.devnet.descriptorPath), 'organizations', 'peerOrganizations', 'hospital1.example.com', 'users');
  const gateway = await startGateway({
    env: {
      HEALTHLEDGER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hl-e2e-fabric-')),
      FABRIC_PEER_ENDPOINT: net.devnet.endpoint('Hospital1MSP'),
      FABRIC_MSP_ID: 'Hospital1MSP',
      FABRIC_IDENTITY_DIR: material,
      FABRIC_CHANNEL: net.devnet.descriptor.channel,
      FABRIC_CHAINCODE: net.devnet.descriptor.chaincode,
      HEALTHLEDGER_JWT_SECRET: secret,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    const token = await issueToken(secret, { name: 'clinician1', mspId: 'Hospital1MSP' }, 60);
    const res = await fetch(`${gateway.url}/patients/${PATIENT1}/records`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
    const devToken = await fetch(`${gateway.url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"clinician1"}' });
    expect(devToken.status).toBe(404);
  } finally {
    await gateway.close();
  }
});

describe('events across a gateway restart', () => {
  let receiver: Server;
  let hookUrl: string;
  const delivered: string[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        delivered.push((JSON.parse(body) as { txId: string }).txId);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => new Promise<void>((r) => receiver.close(() => r())));

  async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Reads the SSE stream from `after` until `enough` holds for what was read (or 15 s pass). */
  async function sseIds(baseUrl: string, auth: string, after: string, enough: (read: { id: string; txId: string }[]) => boolean): Promise<{ id: string; txId: string }[]> {
    const res = await fetch(`${baseUrl}/events?types=consent`, { headers: { authorization: auth, 'last-event-id': after } });
    const reader = res.body!.getReader();
    const out: { id: string; txId: string }[] = [];
    let buffer = '';
    const timer = setTimeout(() => void reader.cancel(), 15_000);
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

  test('nothing lost, nothing duplicated', async () => {
    const auth = await net.bearer('admin1');
    const hook = await api.post('admin1', '/webhooks', { url: hookUrl, types: ['consent'] });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);

    const before = [uid('ev'), uid('ev')];
    const txBefore: string[] = [];
    for (const id of before) txBefore.push((await api.post('patient1', '/consents', consentBody(id))).headers.get('x-transaction-id')!);
    await until(() => txBefore.every((tx) => delivered.includes(tx)));
    // An SSE client that has read up to the second event before the restart.
    const seen = await sseIds(net.baseUrl, auth, '0', (read) => read.some((e) => e.txId === txBefore[1]));
    const lastSeen = seen.find((e) => e.txId === txBefore[1])!;

    // Stop the gateway; the ledger moves on through another gateway instance meanwhile.
    await net.gateway.close();
    const other = await startGateway({
      env: { HEALTHLEDGER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hl-e2e-other-')), HEALTHLEDGER_DEVNET: net.devnet.descriptorPath, PORT: '0', LOG_LEVEL: 'warn' },
      devnet: true,
    });
    const token = await fetch(`${other.url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'patient1' }) });
    const patientAuth = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
    const txDuring: string[] = [];
    for (const id of [uid('ev'), uid('ev')]) {
      const res = await fetch(`${other.url}/consents`, { method: 'POST', headers: { authorization: patientAuth, 'content-type': 'application/json' }, body: JSON.stringify(consentBody(id)) });
      expect(res.status).toBe(201);
      txDuring.push(res.headers.get('x-transaction-id')!);
    }
    await other.close();

    // Restart on the same data directory: the feed resumes from its checkpoint.
    const restarted = await startGateway({
      env: { HEALTHLEDGER_DATA_DIR: net.dataDir, HEALTHLEDGER_DEVNET: net.devnet.descriptorPath, PORT: '0', LOG_LEVEL: 'warn' },
      devnet: true,
    });
    net.gateway = restarted;
    net.baseUrl = restarted.url;
    await until(() => txDuring.every((tx) => delivered.includes(tx)));
    const all = [...txBefore, ...txDuring];
    expect(delivered.filter((tx) => all.includes(tx))).toEqual(all);
    // It resumes with Last-Event-ID: exactly the events it missed, once each, in order.
    const resumed = await sseIds(restarted.url, auth, lastSeen.id, (read) => txDuring.every((tx) => read.some((e) => e.txId === tx)));
    expect(resumed.map((e) => e.txId)).toEqual(txDuring);
    // net.stop() closes the restarted gateway.
  }, 90_000);
});
