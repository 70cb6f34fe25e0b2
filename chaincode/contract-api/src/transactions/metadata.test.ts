import { Type } from '@sinclair/typebox';
import { compareContractMetadata } from './metadata';
import { defineContract } from './spec';

const CATALOGUE = Object.values(
  defineContract('records', {
    createRecord: { mode: 'submit', request: Type.Object({}), callers: { rule: 'anyone' }, summary: 'create' },
    getRecord: { mode: 'evaluate', request: Type.Object({}), callers: { rule: 'anyone' }, summary: 'read' },
  }),
);

const metadataOf = (transactions: { name: string; tag: string[] }[]) => ({
  contracts: {
    records: { name: 'records', transactions },
    'org.hyperledger.fabric': { name: 'org.hyperledger.fabric', transactions: [{ name: 'GetMetadata', tag: [] }] },
  },
});

test('agreeing metadata has no differences (the system contract is not ours)', () => {
  const metadata = metadataOf([
    { name: 'createRecord', tag: ['SUBMIT', 'submitTx'] },
    { name: 'getRecord', tag: ['EVALUATE'] },
  ]);
  expect(compareContractMetadata(CATALOGUE, metadata)).toEqual([]);
});

test('names what is missing on either side and a submit/evaluate mismatch', () => {
  const metadata = metadataOf([
    { name: 'getRecord', tag: ['SUBMIT', 'submitTx'] },
    { name: 'dropTables', tag: ['SUBMIT', 'submitTx'] },
  ]);
  expect(compareContractMetadata(CATALOGUE, metadata)).toEqual([
    { transaction: 'records:createRecord', problem: 'missing-from-chaincode' },
    { transaction: 'records:getRecord', problem: 'mode-differs', catalogue: 'evaluate', chaincode: 'submit' },
    { transaction: 'records:dropTables', problem: 'missing-from-catalogue' },
  ]);
});

test('metadata that is not an object has every transaction missing', () => {
  expect(compareContractMetadata(CATALOGUE, null).map((d) => d.problem)).toEqual(['missing-from-chaincode', 'missing-from-chaincode']);
});
