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
  const patient = api.as('patient1');

  const consentId = uid('off');
  const prepared = await patient.POST('/offline/proposals', { body: { fn: 'consent:grantConsent', request: consentBody(consentId) } });
  expect(prepared.response.status).toBe(201);
  const proposal = prepared.data!;
  const endorsed = await patient.POST('/offline/proposals/endorsement', { body: { proposal: proposal.proposal, signature: await signB64(proposal.digest) } });
  expect(endorsed.response.status).toBe(200);
  expect(endorsed.data?.result).toMatchObject({ consentId });
  const transaction = endorsed.data!;
  const submitted = await patient.POST('/offline/transactions/submission', { body: { transaction: transaction.transaction, signature: await signB64(transaction.digest) } });
  expect(submitted.response.status).toBe(200);
  const commit = submitted.data!;
  const status = await patient.POST('/offline/commits/status', { body: { commit: commit.commit, signature: await signB64(commit.digest) } });
  expect(status.data).toMatchObject({ txId: proposal.txId, successful: true, code: 0 });
  expect((await patient.GET('/consents/{consentId}', { params: { path: { consentId } } })).data).toMatchObject({ consentId });
});

test('a signature by another key is refused by the ledger, not silently accepted', async () => {
  const forge = signerOf(net.userKey('admin1'));
  const patient = api.as('patient1');
  const prepared = await patient.POST('/offline/proposals', { body: { fn: 'consent:grantConsent', request: consentBody(uid('off')) } });
  expect(prepared.response.status).toBe(201);
  const refused = await patient.POST('/offline/proposals/endorsement', { body: { proposal: prepared.data!.proposal, signature: await forge(prepared.data!.digest) } });
  expect([refused.response.status, refused.error?.code]).toEqual([403, 'LEDGER_ACCESS_DENIED']);
  expect(refused.response.headers.get('content-type')).toMatch(/problem\+json/);
  expect(JSON.stringify(refused.error)).not.toMatch(/peer0|example\.com|:\d{4,5}/);
});
