/**
 * Offline signing: a patient signs every step of a transaction with a key the gateway never uses
 * (fabric-gateway's offline flow over REST). Runs on the devnet and, under `npm run test:fabric`,
 * on real Fabric: the key comes from the network's crypto material either way (`userKey`).
 */
import { createPrivateKey } from 'node:crypto';
import { signers } from '@hyperledger/fabric-gateway';
import { client, uid, researchConsent } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('offline');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const consentBody = researchConsent;

/** Signs a base64 digest as the gateway asks (pre-hashed ECDSA P-256, low-S, DER), base64 out. */
function signerOf(keyPem: string): (digest: string) => Promise<string> {
  const sign = signers.newPrivateKeySigner(createPrivateKey(keyPem));
  return async (digest) => Buffer.from(await sign(Buffer.from(digest, 'base64'))).toString('base64');
}

test('offline signing: the patient signs every step with a key the gateway never sees', async () => {
  const signB64 = signerOf(net.userKey('patient1'));

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
});

test('a signature by another key is refused by the ledger, not silently accepted', async () => {
  const forge = signerOf(net.userKey('admin1'));
  const prepared = await api.post('patient1', '/offline/proposals', { fn: 'consent:grantConsent', request: consentBody(uid('off')) });
  expect(prepared.status).toBe(201);
  const refused = await api.post('patient1', '/offline/proposals/endorsement', { proposal: prepared.body.proposal, signature: await forge(prepared.body.digest) });
  expect([refused.status, refused.body.code]).toEqual([403, 'LEDGER_ACCESS_DENIED']);
  expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  expect(JSON.stringify(refused.body)).not.toMatch(/peer0|example\.com|:\d{4,5}/);
});
