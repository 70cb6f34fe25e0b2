import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '@healthledger/fabric-core/pki';
import { Wallet } from '../fabric/wallet';
import { DevnetCa } from './devnet-ca';
import { IdentityService } from './service';

let dir: string;
let ca: DevnetCa;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hl-identity-service-'));
  const issuer = await CertificateAuthority.create('CN=ca.service.test');
  ca = new DevnetCa(path.join(dir, 'ca.json'), issuer.certPem, issuer.keyPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('an enrolled identity is in the wallet at once and after a restart; a revoked one is in neither', async () => {
  const dataDir = path.join(dir, 'gateway');
  const wallet = new Wallet([]);
  const service = new IdentityService(dataDir, wallet, new Map([['Org1MSP', { ca }]]));
  const { record, secret } = await service.register('Org1MSP', { name: 'nurse2', role: 'clinician', practitionerId: 'prac-2' });
  expect(record).toMatchObject({ status: 'registered', attrs: { role: 'clinician', practitioner_id: 'prac-2' } });
  expect(JSON.stringify(service.list('Org1MSP'))).not.toContain(secret);
  await service.enroll('Org1MSP', 'nurse2', secret);
  expect(wallet.get('Org1MSP', 'nurse2')).toMatchObject({ role: 'clinician' });
  expect(wallet.get('Org1MSP', 'nurse2')?.privateKey).toBeDefined();
  const keyFile = path.join(dataDir, 'identities', 'keys', 'Org1MSP', 'nurse2.pem');
  expect(statSync(keyFile).mode & 0o077).toBe(0);

  const restartedWallet = new Wallet([]);
  const restarted = new IdentityService(dataDir, restartedWallet, new Map([['Org1MSP', { ca }]]));
  expect(restartedWallet.get('Org1MSP', 'nurse2')?.privateKey).toBeDefined();
  expect(restarted.get('Org1MSP', 'nurse2').serials).toHaveLength(1);

  await restarted.revoke('Org1MSP', 'nurse2', 'unspecified');
  expect(restartedWallet.get('Org1MSP', 'nurse2')).toBeUndefined();
  expect(restarted.isRevoked('Org1MSP', 'nurse2')).toBe(true);
  const again = new Wallet([]);
  expect(new IdentityService(dataDir, again, new Map()).isRevoked('Org1MSP', 'nurse2')).toBe(true);
  expect(again.get('Org1MSP', 'nurse2')).toBeUndefined();
  // Organisations without a CA here have no lifecycle.
  await expect(restarted.register('Org2MSP', { name: 'x', role: 'clinician' })).rejects.toMatchObject({ problem: { code: 'IDENTITY_LIFECYCLE_UNAVAILABLE', status: 404 } });
});
