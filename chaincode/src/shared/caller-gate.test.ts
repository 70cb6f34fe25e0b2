/**
 * The catalogue's caller gate, as every contract enforces it: for each transaction with a role
 * gate, every role outside it is refused with ROLE_FORBIDDEN before the request is even read
 * (an empty request would otherwise be VALIDATION_FAILED); for an organisation-kind gate, an
 * allowed role from an organisation of another kind is refused with ORG_FORBIDDEN.
 */
import { gateRefusal, ORGANIZATION_KINDS, ROLES, TRANSACTIONS, type TransactionSpec } from '@healthledger/contract-api';
import { contracts } from '../index';
import { InMemoryChannel } from '../testing';

const ledger = new InMemoryChannel({ contracts: contracts.map((C) => new C()) });
const MSPS = Object.keys(ORGANIZATION_KINDS);

async function callAs(spec: TransactionSpec, mspId: string, role: string): Promise<unknown> {
  const who = await ledger.user(mspId, `${role}-${mspId}`, { role, patient_id: 'pt-gate', practitioner_id: 'prac-gate' });
  const call = spec.mode === 'submit' ? ledger.submit(who, spec.qualifiedName, ['{}']) : ledger.evaluate(who, spec.qualifiedName, ['{}']);
  return call.then(
    () => 'accepted',
    (err: Error) => err.message.split(':')[0],
  );
}

const gatedByRole = TRANSACTIONS.filter((t) => t.callers.roles);
const gatedByKind = TRANSACTIONS.filter((t) => t.callers.orgKinds);

test.each(gatedByRole.map((t) => [t.qualifiedName, t] as const))('%s refuses every role outside its gate', async (_name, spec) => {
  const outside = ROLES.filter((r) => !spec.callers.roles?.includes(r));
  const answers = await Promise.all(outside.map((role) => callAs(spec, 'Hospital1MSP', role)));
  expect(answers).toEqual(outside.map(() => 'ROLE_FORBIDDEN'));
});

test.each(gatedByKind.map((t) => [t.qualifiedName, t] as const))('%s refuses its roles from organisations of other kinds', async (_name, spec) => {
  const role = spec.callers.roles?.[0] ?? 'auditor';
  const foreign = MSPS.filter((msp) => !spec.callers.orgKinds?.includes(ORGANIZATION_KINDS[msp]!));
  const answers = await Promise.all(foreign.map((msp) => callAs(spec, msp, role)));
  expect(answers).toEqual(foreign.map(() => 'ORG_FORBIDDEN'));
});

test('a caller inside the gate reaches the transaction (an empty request is then invalid)', async () => {
  const spec = TRANSACTIONS.find((t) => t.qualifiedName === 'records:createRecord')!;
  expect(await callAs(spec, 'Hospital1MSP', 'clinician')).toBe('VALIDATION_FAILED');
});

/**
 * The gate as the contract API states it (what `GET /me` lists) is the gate the chaincode
 * enforces: for every transaction and a few identities, the contract API's refusal is exactly the
 * chaincode's gate answer (an admitted caller gets past the gate to some other answer).
 */
const IDENTITIES: [string, string][] = [
  ['Hospital1MSP', 'clinician'],
  ['Hospital1MSP', 'patient'],
  ['InsurerMSP', 'adjudicator'],
  ['Hospital2MSP', 'auditor'],
];
test.each(IDENTITIES)('the contract API predicts the gate for %s %s', async (mspId, role) => {
  const predicted = TRANSACTIONS.map((spec) => gateRefusal(spec.callers, { role, orgKind: ORGANIZATION_KINDS[mspId] }) ?? 'admitted');
  const answers = await Promise.all(TRANSACTIONS.map((spec) => callAs(spec, mspId, role)));
  const observed = answers.map((a) => (a === 'ROLE_FORBIDDEN' || a === 'ORG_FORBIDDEN' ? a : 'admitted'));
  expect(observed).toEqual(predicted);
  expect(predicted).toContain('admitted');
  expect(predicted.some((p) => p !== 'admitted')).toBe(true);
});
