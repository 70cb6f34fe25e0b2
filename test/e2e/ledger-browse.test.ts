/**
 * The console's ledger reads over qscc on a live network: block pages, the search box (block
 * number, transaction id, block hash, asset id, nothing), an audit package that verifies
 * offline, the whole chain verified over one Deliver stream (the Integrity tab), each
 * organisation's peer height (qscc on a peer of that organisation), the chaincode's committed
 * definition (`_lifecycle`) and the ordering service (the config block); the gateway's raw block
 * reader against fabric-protos on the network's own blocks. Runs on the devnet and,
 * under `npm run test:fabric`, on real Fabric, where the definition must be the one
 * scripts/network.sh deployed or upgraded to.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
// The consortium module, not the package index (which loads the devnet: this suite runs on a shared network).
import { loadConsortium } from '@healthledger/network/consortium';
import { verifyAuditPackage, type AuditPackage } from '@healthledger/gateway/audit/package';
import { chainLinkOf } from '@healthledger/gateway/audit/integrity';
import { chainLinkOfBytes } from '@healthledger/gateway/audit/raw-block';
import { FabricConnection } from '@healthledger/gateway/fabric/connection';
import type { FabricUser } from '@healthledger/gateway/fabric/wallet';
import { client, uid } from './http';
import { startJourneys, type JourneyNetwork } from './network';

/** The version and sequence the network was given: the consortium's on the devnet, the last deploy or upgrade on Fabric. */
async function deployed(): Promise<{ version: string; sequence: string }> {
  if (process.env.HEALTHLEDGER_E2E_TARGET === 'fabric') {
    const { fabricWorkDir } = await import('./external');
    const [version = '', sequence = ''] = readFileSync(path.join(fabricWorkDir(), 'chaincode', 'committed'), 'utf8').trim().split('\n');
    return { version, sequence };
  }
  const { chaincode } = loadConsortium();
  return { version: chaincode.version, sequence: String(chaincode.sequence) };
}

interface Definition {
  endorsementPolicy: string;
  collections: { name: string; memberOrgs: string[] }[];
  approvals: { mspId: string; approved: boolean }[];
}
interface Orderer {
  batchTimeout: string;
  consenters: string[];
  organisations: { mspId: string; endpoints: string[] }[];
}

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('ledger-browse');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

test('an auditor pages blocks, finds a write by transaction id, block number, block hash and asset id, and exports a package that verifies', async () => {
  const recordId = uid('rec');
  const created = await api.post('clinician1', '/records', { recordId, patientRef: 'pt-0c5f1a9e', category: 'other', content: { note: 'not in any block' } });
  expect(created.status).toBe(201);
  const txId = String(created.headers.get('x-transaction-id'));
  const blockNumber = String(created.headers.get('x-block-number'));

  const page = await api.get('auditor1', '/ledger/blocks?limit=2');
  expect(page.status).toBe(200);
  expect(BigInt(page.body.height)).toBeGreaterThan(BigInt(blockNumber));

  const byId = await api.get('auditor1', `/ledger/search?q=${txId}`);
  expect(byId.body).toMatchObject({ kind: 'transaction-id', transactions: [{ txId, blockNumber, function: 'records:createRecord', creatorMspId: 'Hospital1MSP', creatorRole: 'clinician', validation: 'VALID' }] });
  expect(byId.body.transactions[0].writes).toContain(`record/${recordId}`);
  expect(JSON.stringify(byId.body)).not.toContain('not in any block');

  const byNumber = await api.get('auditor1', `/ledger/search?q=${blockNumber}`);
  expect(byNumber.body).toMatchObject({ kind: 'block-number', blocks: [{ number: blockNumber }] });
  const hash = byNumber.body.blocks[0].headerHash;
  expect((await api.get('auditor1', `/ledger/search?q=${hash}`)).body).toMatchObject({ kind: 'block-hash', blocks: [{ number: blockNumber, headerHash: hash }] });
  const byAsset = await api.get('auditor1', `/ledger/search?q=${recordId}`);
  expect(byAsset.body).toMatchObject({ kind: 'asset-id', transactions: [{ txId }] });
  expect((await api.get('auditor1', `/ledger/search?q=${'0'.repeat(63)}1`)).body).toMatchObject({ kind: 'none' });

  const exported = await api.post('auditor1', '/ledger/audit-package', { txIds: [txId] });
  expect(exported.status).toBe(200);
  const pkg = exported.body as AuditPackage;
  expect(verifyAuditPackage(pkg)).toMatchObject({ valid: true, transactions: 1, failures: [] });
  expect((await api.get('clinician1', '/ledger/blocks')).status).toBe(403);
});

test('an auditor verifies the whole chain in one operation over a Deliver stream, as the bounded check does block by block', async () => {
  const accepted = await api.post('auditor1', '/ledger/verification', {}, { prefer: 'respond-async' });
  expect(accepted.status).toBe(202);
  expect(accepted.headers.get('preference-applied')).toBe('respond-async');
  const location = String(accepted.headers.get('location'));
  let operation = accepted.body;
  while (operation.status === 'accepted' || operation.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 200));
    operation = (await api.get('auditor1', location)).body;
  }
  const height = Number(operation.result?.height);
  expect(operation).toMatchObject({ kind: 'ledger-verification', status: 'succeeded', progress: { done: height, total: height, unit: 'blocks' } });
  expect(operation.result).toEqual({ valid: true, from: '0', to: String(height - 1), height: String(height), checkedBlocks: height });
  // The same range, block by block over qscc (the synchronous form), agrees.
  const bounded = await api.post('auditor1', '/ledger/verification', { to: String(height - 1) });
  expect(bounded.body).toEqual(operation.result);
  // Only ledger staff: a clinician's request is refused before anything is accepted.
  expect((await api.post('clinician1', '/ledger/verification', {}, { prefer: 'respond-async' })).status).toBe(403);
});

test("the gateway's raw Deliver reader reads every block of the chain as fabric-protos decodes it (config block, blocks of several transactions)", async () => {
  const topology = net.topologyFor('auditor1');
  const auditor = topology?.wallet.list().find((u) => u.name === 'auditor1');
  if (!topology || !auditor) return; // the gateways run on hosts of their own: nothing to read beneath the API here
  const ledger = new FabricConnection(topology, { deadlines: { evaluateMs: 10_000, endorseMs: 30_000, submitMs: 10_000, commitStatusMs: 60_000, readyMs: 2_000 }, maxAttempts: 3 });
  try {
    // Concurrent writes, so that the orderer cuts a block of several transactions. Whether it does
    // is timing: the devnet cuts at once (no batch timeout) and batches only what queued during
    // the previous commit. So write rounds until the chain has such a block, reading it all each time.
    let chain = { blocks: 0n, height: 0n, configBlocks: 0, mostTransactions: 0 };
    for (let round = 1; round <= 5 && chain.mostTransactions <= 1; round++) {
      const created = await Promise.all(
        Array.from({ length: 8 }, () => api.post('clinician1', '/records', { recordId: uid('rec'), patientRef: 'pt-0c5f1a9e', category: 'other', content: { note: 'batched' } })),
      );
      expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
      chain = await readWholeChain(ledger, auditor);
    }
    expect(chain.blocks).toBe(chain.height);
    expect(chain.configBlocks).toBeGreaterThanOrEqual(1);
    expect(chain.mostTransactions).toBeGreaterThan(1);
  } finally {
    ledger.close();
  }
});

/**
 * Reads every block over one Deliver stream and checks that the raw reader sees each block as
 * fabric-protos decodes it; counts config blocks and the most transactions in one block.
 */
async function readWholeChain(ledger: FabricConnection, auditor: FabricUser): Promise<{ blocks: bigint; height: bigint; configBlocks: number; mostTransactions: number }> {
  const stream = await ledger.blocks(auditor, 0n);
  try {
    const height = BigInt(common.BlockchainInfo.deserializeBinary(await ledger.qscc(auditor, 'GetChainInfo')).getHeight());
    let configBlocks = 0;
    let mostTransactions = 0;
    let n = 0n;
    for await (const bytes of stream) {
      const block = common.Block.deserializeBinary(bytes);
      const raw = chainLinkOfBytes(bytes);
      const decoded = chainLinkOf(block);
      expect({ ...raw, previousHash: raw.previousHash.toString('hex'), dataHash: raw.dataHash.toString('hex'), data: raw.data.map((d) => Buffer.from(d).toString('hex')) }).toEqual({
        ...decoded,
        previousHash: decoded.previousHash.toString('hex'),
        dataHash: decoded.dataHash.toString('hex'),
        data: decoded.data.map((d) => Buffer.from(d).toString('hex')),
      });
      expect(raw.number).toBe(n);
      const first = common.Envelope.deserializeBinary(decoded.data[0] ?? new Uint8Array());
      const header = common.Payload.deserializeBinary(first.getPayload_asU8()).getHeader();
      if (common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array()).getType() === common.HeaderType.CONFIG) configBlocks++;
      mostTransactions = Math.max(mostTransactions, decoded.data.length);
      if (++n === height) break;
    }
    return { blocks: n, height, configBlocks, mostTransactions };
  } finally {
    stream.close();
  }
}

test("an operator sees every organisation's peer answer with its own height", async () => {
  const status = await api.get('admin1', '/ops/network');
  expect(status.status).toBe(200);
  const organisations = status.body.organisations as { mspId: string; reachable: boolean; height?: string }[];
  expect(organisations.length).toBeGreaterThanOrEqual(5);
  for (const org of organisations) expect(org).toMatchObject({ reachable: true, height: expect.stringMatching(/^[1-9][0-9]*$/) });
});

test('an auditor sees the committed chaincode definition and the ordering service the channel config describes', async () => {
  const status = await api.get('auditor1', '/ops/network');
  expect(status.status).toBe(200);
  const consortium = loadConsortium();
  const { definition, orderer } = status.body as { definition?: Definition; orderer?: Orderer };
  expect(status.body).not.toHaveProperty('definitionProblem');
  expect(definition).toMatchObject({ name: consortium.chaincode.name, ...(await deployed()), endorsementPlugin: 'escc', validationPlugin: 'vscc', initRequired: false });
  expect(definition?.endorsementPolicy).toBe(consortium.chaincode.endorsementPolicy);
  expect(definition?.collections.map((c) => ({ name: c.name, memberOrgs: [...c.memberOrgs].sort() }))).toEqual(
    consortium.collections.map((c) => ({ name: c.name, memberOrgs: [...c.memberOrgs].sort() })),
  );
  expect(definition?.approvals.map((a) => a.mspId).sort()).toEqual(consortium.organizations.map((o) => o.mspId).sort());
  expect(definition?.approvals.every((a) => a.approved)).toBe(true);

  expect(status.body).not.toHaveProperty('ordererProblem');
  expect(orderer).toMatchObject({ consensusType: 'etcdraft', batchSize: { maxMessageCount: consortium.orderer.maxMessageCount } });
  expect(orderer?.batchTimeout).toMatch(/^[0-9]+m?s$/);
  expect(orderer?.consenters.length).toBeGreaterThanOrEqual(1);
  expect(orderer?.organisations.flatMap((o) => o.endpoints).length).toBeGreaterThanOrEqual(1);
  // A certificate is not an identifier: nothing of the config block's PEMs reaches the answer.
  expect(JSON.stringify(status.body)).not.toContain('BEGIN CERTIFICATE');
});
