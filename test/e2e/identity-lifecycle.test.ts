/**
 * Identity lifecycle on the devnet (docs/design/identity.md): an organisation admin registers a
 * clinician, who enrolls, gets a token and writes to the ledger; the admin revokes them, and then
 * both the gateway and — proven by proposals signed with the revoked certificates sent straight to
 * the peer — the ledger refuse them. Key rotation issues a new serial; revoking then refuses the
 * old certificate too. Non-admins and other organisations' admins are refused.
 */
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers } from '@hyperledger/fabric-gateway';
import { newKeyAndRequest } from '@healthledger/fabric-core/pki';
import { client, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
let peer: grpc.Client;
beforeAll(async () => {
  net = await startE2e('identity');
  api = client(net);
  peer = new grpc.Client(net.devnet.endpoint('Hospital1MSP'), grpc.credentials.createInsecure());
}, 120_000);
afterAll(async () => {
  peer?.close();
  await net?.stop();
});

const PATIENT1 = 'pt-0c5f1a9e';

/** A name the CA registry (kept with the reused devnet material) has not seen. */
const freshName = (prefix: string): string => uid(prefix).toLowerCase().replace(/[^a-z0-9-]/g, '');

/** Evaluates and submits straight on the peer as the given certificate and key: what the ledger itself says. */
async function ledgerAs(certPem: string, keyPem: string): Promise<{ evaluate: string; submit: string }> {
  const gateway = connect({ client: peer, identity: { mspId: 'Hospital1MSP', credentials: Buffer.from(certPem) }, signer: signers.newPrivateKeySigner(createPrivateKey(keyPem)) });
  const contract = gateway.getNetwork(net.gateway.topology.channel).getContract(net.gateway.topology.chaincode);
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (err: Error) => err.message + JSON.stringify((err as { details?: unknown }).details ?? ''),
    );
  try {
    const evaluate = await outcome(contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata'));
    const recordId = uid('rec');
    const submit = await outcome(
      contract.submit('records:stageContent', { arguments: [JSON.stringify({ recordId, patientRef: PATIENT1, category: 'lab-result' })], transientData: { content: JSON.stringify({ v: 1 }), salt: randomBytes(32).toString('hex') } }),
    );
    return { evaluate, submit };
  } finally {
    gateway.close();
  }
}

async function register(admin: string, name: string) {
  const res = await api.as(admin).POST('/identities', { body: { name, role: 'clinician', practitionerId: 'prac-h1-0777', affiliation: 'hospital1.cardiology' } });
  expect(res.response.status).toBe(201);
  return res.data!;
}

test('admin registers a clinician, who enrolls and writes; once revoked, the gateway and the ledger refuse it', async () => {
  const name = freshName('clin');
  const registered = await register('admin1', name);
  expect(registered.identity).toMatchObject({ name, mspId: 'Hospital1MSP', role: 'clinician', status: 'registered', serials: [] });
  expect(JSON.stringify(await api.get('admin1', `/identities/${name}`))).not.toContain(registered.enrollmentSecret);

  const wrong = await api.post('admin1', `/identities/${name}/enrollment`, { secret: 'not-the-secret' });
  expect(wrong.status).toBe(401);
  expect(wrong.body.code).toBe('ENROLLMENT_SECRET_INVALID');
  const enrolled = await api.as('admin1').POST('/identities/{name}/enrollment', { params: { path: { name } }, body: { secret: registered.enrollmentSecret } });
  expect(enrolled.response.status).toBe(200);
  expect(enrolled.data).toMatchObject({ status: 'enrolled', custody: 'gateway' });
  const certPem = enrolled.data!.certificate!;
  const serial = new X509Certificate(certPem).serialNumber.toLowerCase();
  expect(enrolled.data!.serials).toEqual([serial]);
  const again = await api.post('admin1', `/identities/${name}/enrollment`, { secret: registered.enrollmentSecret });
  expect(again.body.code).toBe('IDENTITY_STATE_CONFLICT');

  // The new clinician gets a token and acts.
  const me = await api.as(name).GET('/me');
  expect(me.data).toMatchObject({ user: name, role: 'clinician', ids: { practitionerId: 'prac-h1-0777' }, signing: 'gateway' });
  const created = await api.as(name).POST('/records', { body: { recordId: uid('rec'), patientRef: PATIENT1, category: 'lab-result', content: { v: 1 } } });
  expect(created.response.status).toBe(201);
  const keyPem = readFileSync(path.join(net.dataDir, 'identities', 'keys', 'Hospital1MSP', `${name}.pem`), 'utf8');
  expect(await ledgerAs(certPem, keyPem)).toEqual({ evaluate: 'ok', submit: 'ok' });

  const revoked = await api.as('admin1').POST('/identities/{name}/revocation', { params: { path: { name } }, body: { reason: 'cessationofoperation' } });
  expect(revoked.response.status).toBe(200);
  expect(revoked.data).toMatchObject({ status: 'revoked', revokedSerials: [serial] });

  // The gateway refuses the revoked caller with a stable code …
  const refused = await api.get(name, '/me');
  expect(refused.status).toBe(401);
  expect(refused.body.code).toBe('IDENTITY_REVOKED');
  // … and so does the ledger, for proposals signed with the revoked certificate.
  const ledger = await ledgerAs(certPem, keyPem);
  expect(ledger.evaluate).toMatch(/revoked|access denied/i);
  expect(ledger.submit).toMatch(/revoked|access denied/i);
  // Other identities of the organisation still act.
  expect((await api.as('clinician1').GET('/me')).response.status).toBe(200);
  expect(await ledgerAs(readFileSync(net.devnet.descriptor.orgs[0]!.users.find((u) => u.name === 'clinician1')!.cert, 'utf8'), net.userKey('clinician1'))).toEqual({ evaluate: 'ok', submit: 'ok' });
}, 40_000);

test('re-enrollment with a user-held key gives a new serial; revoking refuses the old certificate too', async () => {
  const name = freshName('rot');
  const registered = await register('admin1', name);
  const first = await newKeyAndRequest(name);
  const enrolled = await api.as('admin1').POST('/identities/{name}/enrollment', { params: { path: { name } }, body: { secret: registered.enrollmentSecret, csr: first.csrPem } });
  expect(enrolled.data).toMatchObject({ status: 'enrolled', custody: 'user' });
  const firstCert = enrolled.data!.certificate!;

  const second = await newKeyAndRequest(name);
  const rotated = await api.as('admin1').POST('/identities/{name}/reenrollment', { params: { path: { name } }, body: { csr: second.csrPem } });
  expect(rotated.response.status).toBe(200);
  const secondCert = rotated.data!.certificate!;
  expect(rotated.data!.serials).toHaveLength(2);
  expect(new Set(rotated.data!.serials).size).toBe(2);
  // Re-enrollment does not revoke: the old certificate still works until the identity is revoked.
  expect((await ledgerAs(firstCert, first.keyPem)).evaluate).toBe('ok');

  const revoked = await api.as('admin1').POST('/identities/{name}/revocation', { params: { path: { name } }, body: { reason: 'keycompromise' } });
  expect([...revoked.data!.revokedSerials].sort()).toEqual([...rotated.data!.serials].sort());
  expect((await ledgerAs(firstCert, first.keyPem)).evaluate).toMatch(/revoked|access denied/i);
  expect((await ledgerAs(secondCert, second.keyPem)).evaluate).toMatch(/revoked|access denied/i);
}, 40_000);

test('only an organisation admin manages identities, and only its own organisation’s', async () => {
  const name = freshName('own');
  await register('admin1', name);
  const byClinician = await api.post('clinician1', '/identities', { name: freshName('x'), role: 'clinician' });
  expect(byClinician.status).toBe(403);
  expect(byClinician.body.code).toBe('IDENTITY_ADMIN_REQUIRED');
  expect((await api.get('recordsadmin1', '/identities')).body.code).toBe('IDENTITY_ADMIN_REQUIRED');
  // Another organisation's admin does not see it, and cannot revoke it.
  expect((await api.get('admin2', `/identities/${name}`)).body.code).toBe('IDENTITY_NOT_FOUND');
  expect((await api.post('admin2', `/identities/${name}/revocation`, { reason: 'unspecified' })).body.code).toBe('IDENTITY_NOT_FOUND');
  expect((await api.get('admin2', '/identities')).body.map((i: { name: string }) => i.name)).not.toContain(name);
  expect((await api.get('admin1', '/identities')).body.map((i: { name: string }) => i.name)).toContain(name);
  // A name the organisation already uses (a demo user) is refused.
  expect((await api.post('admin1', '/identities', { name: 'clinician1', role: 'clinician' })).body.code).toBe('IDENTITY_EXISTS');
  // A CSR that does not verify is a 400.
  const csr = await api.post('admin1', `/identities/${name}/enrollment`, { secret: 'x', csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' });
  expect(csr.status).toBeGreaterThanOrEqual(400);
  expect(csr.status).toBeLessThan(500);
}, 30_000);
