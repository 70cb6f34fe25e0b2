import { contracts } from '../index';
import { TraceContract } from './contract';

// fabric-shim's contract loader, as `fabric-chaincode-node server` uses it (not a public export).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as new (
  classes: unknown[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => { metadata: { contracts: Record<string, { transactions: { name: string; tag: string[] }[] }> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSONSerializer = require('fabric-contract-api').JSONSerializer as unknown;

describe('the trace contract as fabric-contract-api loads it', () => {
  it('is registered and serves every function with its submit/evaluate tag', () => {
    expect(contracts).toContain(TraceContract);
    const chaincode = new ChaincodeFromContract([TraceContract], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'healthledger', '1.0');
    const txs = Object.fromEntries((chaincode.metadata.contracts.trace?.transactions ?? []).map((t) => [t.name, t.tag.includes('SUBMIT') ? 'submit' : 'evaluate']));
    const submit = ['registerProduct', 'commission', 'aggregate', 'disaggregate', 'ship', 'receive', 'dispense', 'undoDispense', 'destroy', 'recallLot', 'quarantine', 'clearQuarantine', 'confirmIllegitimate', 'recordSensorReport', 'captureEpcis'];
    const evaluate = ['getProduct', 'getShipment', 'verify', 'recallHolders', 'packHistory', 'listHoldings', 'getPack'];
    expect(txs).toEqual(Object.fromEntries([...submit.map((n) => [n, 'submit']), ...evaluate.map((n) => [n, 'evaluate'])]));
  });
});
