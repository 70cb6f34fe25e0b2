/**
 * The Fabric CA client: its authorization token always; the whole lifecycle against a real
 * fabric-ca-server when FABRIC_CA_BIN names the directory holding one (opt-in: the server is
 * built by hand outside the repository, see docs/design/identity.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RevocationList } from '@healthledger/fabric-core/msp';
import { newKeyAndRequest } from '@healthledger/fabric-core/pki';
import { certificateAttributes } from '../fabric/wallet';
import { CaError } from './authority';
import { DevnetCa } from './devnet-ca';
import { fabricCaSerial, fabricCaToken, FabricCaClient } from './fabric-ca-client';

test('the token is base64(cert) "." base64(ECDSA signature over method.b64(uri).b64(body).b64(cert))', async () => {
  // Any P-256 certificate and key do: issue one with a throwaway devnet CA.
  const { keyPem, csrPem } = await newKeyAndRequest('someone');
  const { CertificateAuthority } = await import('@healthledger/fabric-core/pki');
  const ca = await CertificateAuthority.create('CN=ca.test');
  const certPem = await ca.issueForRequest(csrPem, { subject: 'CN=someone', attributes: {} });
  const body = '{"id":"x"}';
  const token = fabricCaToken(certPem, createPrivateKey(keyPem), 'POST', '/api/v1/register', body);
  const [cert64, sig64] = token.split('.');
  expect(Buffer.from(cert64!, 'base64').toString()).toBe(certPem);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const payload = `POST.${b64('/api/v1/register')}.${b64(body)}.${b64(certPem)}`;
  expect(verify('sha256', Buffer.from(payload), createPublicKey(certPem), Buffer.from(sig64!, 'base64'))).toBe(true);
  expect(verify('sha256', Buffer.from(payload.replace('POST', 'GET')), createPublicKey(certPem), Buffer.from(sig64!, 'base64'))).toBe(false);
});

test('an unreachable Fabric CA is a CaError the routes answer 502', async () => {
  const client = new FabricCaClient('http://127.0.0.1:1', undefined);
  await expect(client.enroll('x', 'y', 'csr')).rejects.toMatchObject({ refusal: 'unavailable' });
  await expect(client.generateCrl()).rejects.toBeInstanceOf(CaError);
});

test('the devnet CA: one-time secret, serials per enrollment, revocation in its CRL', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hl-devnet-ca-'));
  try {
    const { CertificateAuthority } = await import('@healthledger/fabric-core/pki');
    const issuer = await CertificateAuthority.create('CN=ca.devnet.test');
    const ca = new DevnetCa(path.join(dir, 'registry.json'), issuer.certPem, issuer.keyPem);
    const secret = await ca.register({ name: 'nurse1', affiliation: 'h1', attrs: { role: 'clinician' } });
    await expect(ca.register({ name: 'nurse1', affiliation: '', attrs: {} })).rejects.toMatchObject({ refusal: 'exists' });
    await expect(ca.enroll('nurse1', 'wrong', (await newKeyAndRequest('nurse1')).csrPem)).rejects.toMatchObject({ refusal: 'bad-secret' });
    const first = await ca.enroll('nurse1', secret, (await newKeyAndRequest('nurse1')).csrPem);
    expect(certificateAttributes(first)).toMatchObject({ role: 'clinician', 'hf.EnrollmentID': 'nurse1', 'hf.Affiliation': 'h1', 'hf.Type': 'client' });
    await expect(ca.enroll('nurse1', secret, (await newKeyAndRequest('nurse1')).csrPem)).rejects.toMatchObject({ refusal: 'bad-secret' });
    const second = await ca.reenroll('nurse1', { certPem: first, privateKey: undefined }, (await newKeyAndRequest('nurse1')).csrPem);
    const serials = await ca.revoke('nurse1', 'keycompromise');
    expect(serials).toHaveLength(2);
    const crl = new RevocationList(await ca.generateCrl());
    expect(crl.signedBy(new X509Certificate(issuer.certPem))).toBe(true);
    expect(crl.revokes(new X509Certificate(first).serialNumber)).toBe(true);
    expect(crl.revokes(new X509Certificate(second).serialNumber)).toBe(true);
    await expect(ca.reenroll('nurse1', { certPem: second, privateKey: undefined }, (await newKeyAndRequest('nurse1')).csrPem)).rejects.toMatchObject({ refusal: 'revoked' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const FABRIC_CA_BIN = process.env['FABRIC_CA_BIN'];
const withServer = FABRIC_CA_BIN ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

withServer('against a real fabric-ca-server (FABRIC_CA_BIN set; skipped otherwise)', () => {
  let home: string;
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'hl-fabric-ca-'));
    const [port, ops] = await Promise.all([freePort(), freePort()]);
    url = `http://127.0.0.1:${port}`;
    server = spawn(
      path.join(FABRIC_CA_BIN!, 'fabric-ca-server'),
      ['start', '-b', 'admin:adminpw', '--home', home, '--port', String(port), '--address', '127.0.0.1', '--operations.listenaddress', `127.0.0.1:${ops}`],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`${url}/api/v1/cainfo`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > until) throw new Error('fabric-ca-server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 40_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  });

  test('register → enroll → reenroll → revoke → gencrl', async () => {
    const admin = await newKeyAndRequest('admin');
    const adminCert = await FabricCaClient.enrollRegistrar(url, 'admin', 'adminpw', admin.csrPem);
    const ca = new FabricCaClient(url, { certPem: adminCert, privateKey: createPrivateKey(admin.keyPem) });

    const secret = await ca.register({ name: 'clinician9', affiliation: 'org1.department1', attrs: { role: 'clinician', practitioner_id: 'prac-9' } });
    await expect(ca.register({ name: 'clinician9', affiliation: 'org1.department1', attrs: {} })).rejects.toMatchObject({ refusal: 'exists' });
    await expect(ca.enroll('clinician9', 'wrong', (await newKeyAndRequest('clinician9')).csrPem)).rejects.toMatchObject({ refusal: 'bad-secret' });

    const first = await newKeyAndRequest('clinician9');
    const cert1 = await ca.enroll('clinician9', secret, first.csrPem);
    expect(certificateAttributes(cert1)).toMatchObject({ role: 'clinician', practitioner_id: 'prac-9', 'hf.EnrollmentID': 'clinician9', 'hf.Type': 'client' });
    // The secret was for one enrollment.
    await expect(ca.enroll('clinician9', secret, (await newKeyAndRequest('clinician9')).csrPem)).rejects.toMatchObject({ refusal: 'bad-secret' });

    const second = await newKeyAndRequest('clinician9');
    const cert2 = await ca.reenroll('clinician9', { certPem: cert1, privateKey: createPrivateKey(first.keyPem) }, second.csrPem);
    expect(fabricCaSerial(cert2)).not.toBe(fabricCaSerial(cert1));
    await expect(ca.reenroll('clinician9', { certPem: cert1, privateKey: undefined }, second.csrPem)).rejects.toMatchObject({ refusal: 'needs-key' });

    const revoked = await ca.revoke('clinician9', 'keycompromise');
    expect(revoked.sort()).toEqual([fabricCaSerial(cert1), fabricCaSerial(cert2)].sort());
    const crl = new RevocationList(await ca.generateCrl());
    expect(crl.revokes(new X509Certificate(cert1).serialNumber)).toBe(true);
    expect(crl.revokes(new X509Certificate(cert2).serialNumber)).toBe(true);
    await expect(ca.reenroll('clinician9', { certPem: cert2, privateKey: createPrivateKey(second.keyPem) }, (await newKeyAndRequest('clinician9')).csrPem)).rejects.toMatchObject({ refusal: expect.stringMatching(/revoked|bad-secret/) });
  }, 30_000);
});
