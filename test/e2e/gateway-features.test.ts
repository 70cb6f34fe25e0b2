/**
 * Devnet-only checks of the gateway end to end. Each needs something only the devnet offers, so
 * `npm run test:fabric` does not run this file; the journeys that apply to both targets are in
 * offline-signing, event-resume, erasure and idempotency.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueToken } from '@healthledger/gateway/auth/tokens';
import { startGateway } from '@healthledger/gateway/server';
import { typedClient } from './client';
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

/**
 * Devnet only: it starts a gateway with FABRIC_* variables pointing at one of the devnet's peers.
 * Against real Fabric, every journey already runs through gateways configured this way
 * (external.ts), so there is nothing more to check there.
 */
test('real-Fabric configuration: FABRIC_* variables and a test-network identity directory, no dev token endpoint', async () => {
  const secret = 'a-shared-hs256-secret-for-this-test-only';
  const material = path.join(path.dirname(net.devnet.descriptorPath), 'organizations', 'peerOrganizations', 'hospital1.example.com', 'users');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hl-e2e-fabric-'));
  const gateway = await startGateway({
    env: {
      HEALTHLEDGER_DATA_DIR: dataDir,
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
    const fabricGateway = { urlFor: () => gateway.url, bearer: () => Promise.resolve(`Bearer ${token}`) };
    const records = await typedClient(fabricGateway, 'clinician1').GET('/patients/{patientRef}/records', { params: { path: { patientRef: PATIENT1 }, query: {} } });
    expect(records.response.status).toBe(200);
    const anonymous = typedClient(fabricGateway);
    expect((await anonymous.GET('/health/ready')).response.status).toBe(200);
    const devToken = await anonymous.POST('/dev/token', { body: { user: 'clinician1' } });
    expect(devToken.response.status).toBe(404);
  } finally {
    await gateway.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/**
 * Devnet only: it looks inside the peers' private data stores, which real Fabric peers do not
 * expose. The erasure journey itself (erasure.test.ts) runs on both targets.
 */
test('erasure purges the content from the custodian’s private store and from the blocks’ private data', async () => {
  const recordId = uid('rec');
  const marker = uid('purge');
  const created = await api.as('clinician1').POST('/records', { body: { recordId, patientRef: PATIENT1, category: 'lab-result', content: { resourceType: 'Observation', note: marker } } });
  expect(created.response.status).toBe(201);

  const { ledger } = net.devnet.network;
  const ns = net.devnet.descriptor.chaincode;
  const collection = '_implicit_org_Hospital1MSP';
  const orgs = net.devnet.descriptor.orgs.map((o) => o.mspId);
  /** Whether `mspId`'s peers hold the marker in private state or in any block's private write sets. */
  const holds = async (mspId: string): Promise<boolean> => {
    const store = ledger.privateStore(mspId);
    for await (const kv of store.range(ns, collection, '', '')) if (kv.value.includes(marker)) return true;
    for (let block = 0n; block < ledger.blocks.height; block++) {
      for (const pvt of store.blockPvtData(block).values()) if (Buffer.from(pvt.serializeBinary()).includes(marker)) return true;
    }
    return false;
  };
  const holders = async (): Promise<string[]> => {
    const held: string[] = [];
    for (const mspId of orgs) if (await holds(mspId)) held.push(mspId);
    return held;
  };
  expect(await holders()).toEqual(['Hospital1MSP']);

  const erased = await api.as('recordsadmin1').POST('/records/{recordId}/erasure', { params: { path: { recordId } }, body: { reason: 'patient-request' } });
  expect(erased.response.status).toBe(200);
  expect(await holders()).toEqual([]);
});
