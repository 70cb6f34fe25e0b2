import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identity } from '../testing/identities';
import { loadDescriptor } from './descriptor';
import { certificateAttributes, walletFromDirectory } from './wallet';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hl-wallet-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test('reads Fabric CA attributes from the certificate', async () => {
  const { certPem } = await identity('Hospital1MSP', 'clinician1', { role: 'clinician', practitioner_id: 'prac-1' });
  expect(certificateAttributes(certPem)).toMatchObject({ role: 'clinician', practitioner_id: 'prac-1', 'hf.EnrollmentID': 'clinician1' });
});

test('loads a test-network style identity directory; key-less entries are offline-only', async () => {
  const clinician = await identity('Hospital1MSP', 'clinician1', { role: 'clinician' });
  const patient = await identity('Hospital1MSP', 'patient1', { role: 'patient', patient_id: 'pt-1' });
  for (const [name, pem, withKey] of [
    ['clinician1@hospital1.example.com', clinician.certPem, true],
    ['patient1', patient.certPem, false],
  ] as const) {
    mkdirSync(join(dir, name, 'msp', 'signcerts'), { recursive: true });
    writeFileSync(join(dir, name, 'msp', 'signcerts', 'cert.pem'), pem);
    if (withKey) {
      mkdirSync(join(dir, name, 'msp', 'keystore'));
      writeFileSync(join(dir, name, 'msp', 'keystore', 'priv_sk'), key());
    }
  }
  const wallet = walletFromDirectory(dir, 'Hospital1MSP');
  expect(wallet.get('Hospital1MSP', 'clinician1')).toMatchObject({ role: 'clinician' });
  expect(wallet.get('Hospital1MSP', 'clinician1')?.privateKey).toBeDefined();
  expect(wallet.get('Hospital1MSP', 'patient1')?.privateKey).toBeUndefined();
  expect(wallet.get('Hospital2MSP', 'clinician1')).toBeUndefined();
});

test('loads the devnet descriptor with paths relative to it, and names bad fields', async () => {
  const { certPem } = await identity('InsurerMSP', 'adjudicator1', { role: 'adjudicator' });
  writeFileSync(join(dir, 'cert.pem'), certPem);
  writeFileSync(join(dir, 'key.pem'), key());
  const descriptor = {
    channel: 'healthchannel',
    chaincode: 'healthledger',
    orgs: [{ mspId: 'InsurerMSP', peerEndpoint: '127.0.0.1:10051', users: [{ name: 'adjudicator1', role: 'adjudicator', cert: 'cert.pem', key: 'key.pem' }] }],
  };
  writeFileSync(join(dir, 'devnet.json'), JSON.stringify(descriptor));
  const topology = loadDescriptor(join(dir, 'devnet.json'));
  expect(topology.peers).toEqual([{ mspId: 'InsurerMSP', endpoint: '127.0.0.1:10051', tlsRootCert: undefined, hostOverride: undefined }]);
  expect(topology.wallet.get('InsurerMSP', 'adjudicator1')?.role).toBe('adjudicator');

  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...descriptor, orgs: [{ mspId: 'X' }] }));
  expect(() => loadDescriptor(join(dir, 'bad.json'))).toThrow(/\/orgs\/0\/peerEndpoint/);
});
