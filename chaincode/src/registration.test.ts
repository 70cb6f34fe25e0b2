/**
 * The chaincode as `fabric-chaincode-node server` loads it agrees with the contract API's
 * transaction catalogue: the same transactions, each with the catalogue's submit/evaluate tag and
 * one `request` parameter. (The deployed chaincode's metadata is checked against the catalogue
 * too, on the devnet and on real Fabric: test/e2e/contract-metadata.test.ts.)
 */
import { compareContractMetadata, TRANSACTIONS } from '@healthledger/contract-api';
import { contracts } from './index';

// fabric-shim's contract loader, as `fabric-chaincode-node server` uses it (not a public export).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as new (
  classes: unknown[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => { metadata: { contracts: Record<string, { transactions: { name: string; tag: string[]; parameters?: { name: string }[] }[] }> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSONSerializer = require('fabric-contract-api').JSONSerializer as unknown;

const loaded = () => new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'healthledger', '1.0');

test('serves exactly the catalogue, with its submit/evaluate tags', () => {
  expect(compareContractMetadata(TRANSACTIONS, loaded().metadata)).toEqual([]);
});

test('every transaction takes one request parameter', () => {
  const { metadata } = loaded();
  for (const spec of TRANSACTIONS) {
    const tx = metadata.contracts[spec.contract]?.transactions.find((t) => t.name === spec.name);
    expect([spec.qualifiedName, tx?.parameters?.map((p) => p.name)]).toEqual([spec.qualifiedName, ['request']]);
  }
});

test('a catalogue with one transaction less is caught (the check can fail)', () => {
  expect(compareContractMetadata(TRANSACTIONS.slice(1), loaded().metadata)).toEqual([
    { transaction: TRANSACTIONS[0]?.qualifiedName, problem: 'missing-from-catalogue' },
  ]);
});
