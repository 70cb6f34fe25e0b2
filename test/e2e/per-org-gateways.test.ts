/**
 * The production shape: each organisation runs its own gateway against its own peer, configured
 * only by FABRIC_* variables (the env files `scripts/network.sh up` writes), with tokens from an
 * identity provider instead of the dev token endpoint. The devnet stands in for the real network:
 * its peers are reached exactly as Fabric peers are, so this is the same path `npm run test:fabric`
 * takes against real Fabric.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Devnet } from '@healthledger/network/devnet';
import { startExternal } from './external';
import { typedClient } from './client';
import { client, uid } from './http';
import { seedMaterial, type JourneyNetwork } from './network';

let devnet: Devnet;
let net: JourneyNetwork;
let workDir: string;
let api: ReturnType<typeof client>;
const previousDir = process.env.HEALTHLEDGER_FABRIC_DIR;

/** What `network.sh up` writes per organisation, pointing at the devnet's peers. */
function writeGatewayEnvFiles(): void {
  const descriptor = devnet.descriptor;
  mkdirSync(path.join(workDir, 'gateway'), { recursive: true });
  for (const org of descriptor.orgs) {
    const certPath = path.resolve(path.dirname(devnet.descriptorPath), org.users[0]!.cert);
    const env = {
      FABRIC_PEER_ENDPOINT: org.peerEndpoint,
      FABRIC_MSP_ID: org.mspId,
      FABRIC_IDENTITY_DIR: `${certPath.split(`${path.sep}users${path.sep}`)[0]}${path.sep}users`,
      FABRIC_CHANNEL: descriptor.channel,
      FABRIC_CHAINCODE: descriptor.chaincode,
    };
    writeFileSync(path.join(workDir, 'gateway', `${org.mspId}.env`), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  }
}

beforeAll(async () => {
  const dataDir = path.resolve(__dirname, '../../.healthledger/e2e/per-org');
  seedMaterial(dataDir);
  devnet = await Devnet.start({ dataDir, inMemory: true, randomPorts: true, chaincodeServer: true });
  workDir = mkdtempSync(path.join(tmpdir(), 'hl-per-org-'));
  writeGatewayEnvFiles();
  process.env.HEALTHLEDGER_FABRIC_DIR = workDir;
  net = await startExternal('per-org');
  api = client(net);
}, 120_000);

afterAll(async () => {
  await net?.stop();
  await devnet?.stop();
  if (previousDir === undefined) delete process.env.HEALTHLEDGER_FABRIC_DIR;
  else process.env.HEALTHLEDGER_FABRIC_DIR = previousDir;
  rmSync(workDir, { recursive: true, force: true });
});

test('each organisation has its own gateway; no dev token endpoint there', async () => {
  expect(net.urlFor('clinician1')).not.toBe(net.urlFor('clinician2'));
  const devToken = await typedClient(net, 'clinician1').POST('/dev/token', { body: { user: 'clinician1' } });
  expect(devToken.response.status).toBe(404);
});

test('a referral across two hospitals, each through its own gateway and peer', async () => {
  const recordId = uid('rec');
  const content = { resourceType: 'Observation', code: 'HbA1c', value: 6.8 };
  const created = await api.as('clinician1').POST('/records', { body: { recordId, patientRef: 'pt-0c5f1a9e', category: 'lab-result', content } });
  expect(created.response.status).toBe(201);
  const consentId = uid('cns');
  const grant = await api.as('patient1').POST('/consents', {
    body: {
      consentId,
      patientRef: 'pt-0c5f1a9e',
      grantee: { org: 'Hospital2MSP', role: 'clinician' },
      period: { start: '2020-01-01' },
      provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
    },
  });
  expect(grant.response.status).toBe(201);
  const access = await api.as('clinician2').POST('/records/{recordId}/access', { params: { path: { recordId } }, body: { purpose: 'TREAT' } });
  expect(access.data).toMatchObject({ outcome: 'granted', consentId });
  // Hospital 2's gateway evaluates on the custodian's (Hospital 1's) peer, as Fabric's gateway does.
  const read = await api.as('clinician2').GET('/records/{recordId}/content', { params: { path: { recordId }, query: {} } });
  expect(read.response.status).toBe(200);
  expect(read.data).toEqual(content);
});
