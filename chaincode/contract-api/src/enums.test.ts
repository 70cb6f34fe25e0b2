import { Type } from '@sinclair/typebox';
import { PurposeSchema } from './consent';
import { StringEnum } from './enums';
import { TRANSACTIONS } from './transactions';
import { validateValue } from './validation';

test('a string enum is one JSON Schema enum, not an anyOf of constants', () => {
  const { description: _description, examples: _examples, ...constraint } = JSON.parse(JSON.stringify(PurposeSchema));
  expect(constraint).toEqual({ type: 'string', enum: ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'PUBHLTH', 'PATRQT'] });
});

test('the chaincode accepts its values and names them when it refuses one', () => {
  const schema = Type.Object({ fruit: StringEnum(['apple', 'pear']) }, { additionalProperties: false });
  expect(validateValue(schema, { fruit: 'pear' })).toEqual({ fruit: 'pear' });
  expect(() => validateValue(schema, { fruit: 'plum' })).toThrow('request/fruit: must be one of: apple, pear');
  expect(() => validateValue(schema, { fruit: 3 })).toThrow('must be one of: apple, pear');
});

test('no request schema of the catalogue keeps an anyOf of single constants', () => {
  const text = JSON.stringify(TRANSACTIONS.map((t) => t.request));
  expect(text).not.toMatch(/"anyOf":\[\{"const"/);
});
