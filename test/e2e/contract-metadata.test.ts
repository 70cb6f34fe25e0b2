/**
 * The deployed chaincode serves exactly the contract API's transaction catalogue, as the peer
 * reports it (`org.hyperledger.fabric:GetMetadata` through the gateway's `/ledger/contract`).
 * Runs on the devnet and, under `npm run test:fabric`, on real Fabric.
 */
import { TRANSACTIONS } from '@healthledger/contract-api';
import { client } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('metadata');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

test("the deployed chaincode's metadata matches the catalogue, transaction for transaction", async () => {
  const reply = await api.get('auditor1', '/ledger/contract');
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ chaincode: 'healthledger', matchesCatalogue: true, transactions: TRANSACTIONS.length, differences: [] });
});

test('only auditors and admins may ask', async () => {
  expect((await api.get('patient1', '/ledger/contract')).status).toBe(403);
});
