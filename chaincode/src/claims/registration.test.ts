import { contracts } from '../index';

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

describe('coverage and claims as fabric-contract-api loads them', () => {
  it('serves every function with its submit/evaluate tag and one request parameter', () => {
    const chaincode = new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'healthledger', '1.0');
    const txs = (name: string) => Object.fromEntries((chaincode.metadata.contracts[name]?.transactions ?? []).map((t) => [t.name, t.tag.includes('SUBMIT') ? 'submit' : 'evaluate']));
    expect(txs('coverage')).toEqual({ register: 'submit', update: 'submit', get: 'evaluate', checkEligibility: 'evaluate' });
    expect(txs('claims')).toEqual({ submit: 'submit', adjudicate: 'submit', pay: 'submit', appeal: 'submit', get: 'evaluate', getDetail: 'evaluate', list: 'evaluate' });
    for (const name of ['coverage', 'claims']) {
      for (const tx of chaincode.metadata.contracts[name]?.transactions ?? []) expect(tx.parameters?.map((p) => p.name)).toEqual(['request']);
    }
  });
});
