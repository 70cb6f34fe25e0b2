import { contracts } from '../index';

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

describe('the chaincode as fabric-contract-api loads it', () => {
  it('serves the records, consent, emergency and audit functions with submit/evaluate tags', () => {
    const chaincode = new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'healthledger', '1.0');
    const txs = (name: string) => Object.fromEntries((chaincode.metadata.contracts[name]?.transactions ?? []).map((t) => [t.name, t.tag.includes('SUBMIT') ? 'submit' : 'evaluate']));
    expect(txs('records')).toEqual({
      stageContent: 'submit',
      discardStaged: 'submit',
      createRecord: 'submit',
      amendRecord: 'submit',
      getRecord: 'evaluate',
      listRecords: 'evaluate',
      requestAccess: 'submit',
      readContent: 'evaluate',
      eraseRecord: 'submit',
      verifyContent: 'evaluate',
    });
    expect(txs('consent')).toMatchObject({ grantConsent: 'submit', revokeConsent: 'submit', checkAccess: 'evaluate', registerDelegate: 'submit', listDelegates: 'evaluate' });
    expect(txs('emergency')).toMatchObject({ stageJustification: 'submit', discardJustification: 'submit', openEmergency: 'submit', reviewEmergency: 'submit', listUnreviewed: 'evaluate' });
    expect(txs('audit')).toEqual({ history: 'evaluate', accountingOfDisclosures: 'evaluate' });
  });
});
