import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Contract, Gateway, Proposal } from '@hyperledger/fabric-gateway';
import { gateway, peer } from '@hyperledger/fabric-protos';
import type { Deadlines } from '../config';
import { block } from '../testing/blocks';
import type { LedgerCall, TxAttempt, TxJournal } from './ledger';
import { newProposal, sendTransaction, submitJournaled, type TransactionSupport } from './transaction';
import type { FabricUser } from './wallet';

const USER = { mspId: 'Hospital1MSP', name: 'clinician1', certPem: '' } as FabricUser;
const CALL: LedgerCall = { fn: 'records:amendRecord', args: ['{}'] };
const EARLIER: TxAttempt = { nonce: '11'.repeat(24), txId: 'ee'.repeat(32) };

/** A connection whose ledger holds `blocks` by transaction id, and that must not build a proposal. */
function support(blocks: Record<string, Uint8Array>): TransactionSupport & { lookups: string[] } {
  const lookups: string[] = [];
  const never = (): never => {
    throw new Error('a transaction the ledger holds must not be sent again');
  };
  return {
    lookups,
    attempts: 3,
    deadlines: {} as Deadlines,
    deadline: () => ({}),
    contractFor: () => ({ newProposal: never }) as unknown as Contract,
    gatewayFor: () => ({ newProposal: never }) as unknown as Gateway,
    blockByTxId: (_user, txId) => {
      lookups.push(txId);
      const found = blocks[txId];
      return found ? Promise.resolve(found) : Promise.reject(new Error(`no such transaction ID [${txId}] in index`));
    },
  };
}

function journalWith(attempts: TxAttempt[]): TxJournal & { recorded: TxAttempt[] } {
  const recorded: TxAttempt[] = [];
  return { recorded, slot: () => ({ attempts, record: (a) => recorded.push(a) }) };
}

test('a transaction an earlier run committed is answered from the ledger, nothing sent, nothing recorded', async () => {
  const s = support({ [EARLIER.txId]: block(12, [[EARLIER.txId, '{"version":2}', peer.TxValidationCode.VALID]]).serializeBinary() });
  const journal = journalWith([EARLIER]);
  const outcome = await submitJournaled(s, USER, CALL, journal);
  expect(outcome.status).toEqual({ blockNumber: 12n, code: 0, successful: true, transactionId: EARLIER.txId });
  expect(Buffer.from(outcome.result).toString()).toBe('{"version":2}');
  expect(s.lookups).toEqual([EARLIER.txId]);
  expect(journal.recorded).toEqual([]);
});

test('a transaction an earlier run got committed invalid (not a conflict) fails as the first run did', async () => {
  const s = support({ [EARLIER.txId]: block(4, [[EARLIER.txId, '', peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE]]).serializeBinary() });
  await expect(submitJournaled(s, USER, CALL, journalWith([EARLIER]))).rejects.toMatchObject({
    code: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
    transactionId: EARLIER.txId,
  });
});

test('a proposal (its signed bytes carry the transient data) is not held once endorsed, while its transaction commits', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Off again for the contexts of the test files this jest worker runs next (the meters would collect there).
  setFlagsFromString('--no-expose-gc');
  let commit = (): void => undefined;
  const commitStatus = new Promise<void>((resolve) => (commit = resolve));
  const status = { blockNumber: 3n, code: 0, successful: true, transactionId: 'ab'.repeat(32) };
  const submitted = { getStatus: () => commitStatus.then(() => status), getResult: () => new Uint8Array(0) };
  const transaction = { submit: () => Promise.resolve(submitted) };
  let proposal: Proposal | undefined = { endorse: () => Promise.resolve(transaction) } as unknown as Proposal;
  const held = new WeakRef(proposal);
  const sending = sendTransaction(support({}), proposal, undefined, 4 * 1024 * 1024);
  proposal = undefined;
  await new Promise((resolve) => setImmediate(resolve)); // endorsed and submitted: waiting for the commit status
  gc();
  expect(held.deref()).toBeUndefined();
  commit();
  expect((await sending).status).toEqual(status);
});

test('a large transient value is held as a view into the proposal written from it, not as a second copy; small ones stay as given', () => {
  const draft = new gateway.ProposedTransaction();
  const signed = new peer.SignedProposal();
  const proposal = new peer.Proposal();
  proposal.setPayload(new peer.ChaincodeProposalPayload().serializeBinary());
  signed.setProposalBytes(proposal.serializeBinary());
  draft.setProposal(signed);
  const written: Uint8Array[] = [];
  const s: TransactionSupport = {
    ...support({}),
    contractFor: () => ({ newProposal: () => ({ getBytes: () => draft.serializeBinary() }) }) as unknown as Contract,
    gatewayFor: () => ({ newProposal: (bytes: Uint8Array) => written.push(bytes) }) as unknown as Gateway,
  };
  const content = Buffer.alloc(4 * 1024 * 1024, 7);
  const salt = Buffer.from('0f1e2d');
  const call: LedgerCall = { fn: 'records:stageContent', args: ['{}'], transient: { content, salt } };
  newProposal(s, USER, call);
  const held = call.transient?.['content'] as Uint8Array;
  expect(held).not.toBe(content);
  expect(held.buffer).toBe(written[0]?.buffer);
  expect(Buffer.from(held).equals(content)).toBe(true);
  expect(call.transient?.['salt']).toBe(salt);
  // A retry writes a new proposal from the views, and holds views into that one.
  newProposal(s, USER, call);
  expect((call.transient?.['content'] as Uint8Array).buffer).toBe(written[1]?.buffer);
});
