import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { HttpProblem } from '../errors/problem';
import { checkOfflineMessage, type OfflineMessageKind } from './messages';

const CHANNEL = 'healthchannel';
const SIG = Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);

function headerBytes(channel: string, txId: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setChannelId(channel);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  return header.serializeBinary();
}

function proposalBytes(channel = CHANNEL, txId = 'tx1'): Uint8Array {
  const proposal = new peer.Proposal();
  proposal.setHeader(headerBytes(channel, txId));
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  const proposed = new gateway.ProposedTransaction();
  proposed.setTransactionId(txId);
  proposed.setProposal(signed);
  return proposed.serializeBinary();
}

function transactionBytes(channel = CHANNEL, txId = 'tx1', withAction = true): Uint8Array {
  const response = new peer.Response();
  response.setPayload(Buffer.from('{}'));
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResponse(response);
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  if (withAction) transaction.addActions(action);
  const payload = new common.Payload();
  payload.setHeader(common.Header.deserializeBinary(headerBytes(channel, txId)));
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  const prepared = new gateway.PreparedTransaction();
  prepared.setTransactionId(txId);
  prepared.setEnvelope(envelope);
  return prepared.serializeBinary();
}

function commitBytes(channel = CHANNEL, txId = 'tx1'): Uint8Array {
  const request = new gateway.CommitStatusRequest();
  request.setChannelId(channel);
  request.setTransactionId(txId);
  const signed = new gateway.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  return signed.serializeBinary();
}

function rejection(kind: OfflineMessageKind, bytes: Uint8Array, signature: Uint8Array = SIG): HttpProblem {
  try {
    checkOfflineMessage(kind, bytes, signature, CHANNEL);
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw new Error(`threw a non-problem: ${String(err)}`);
  }
  throw new Error('accepted');
}

test('messages as the gateway issues them pass and give their transaction id', () => {
  expect(checkOfflineMessage('proposal', proposalBytes(), SIG, CHANNEL)).toBe('tx1');
  expect(checkOfflineMessage('transaction', transactionBytes(), SIG, CHANNEL)).toBe('tx1');
  expect(checkOfflineMessage('commit', commitBytes(), SIG, CHANNEL)).toBe('tx1');
});

const garbage: [string, Uint8Array][] = [
  ['empty', new Uint8Array()],
  ['three zero bytes (base64 AAAA)', Buffer.from('AAAA', 'base64')],
  ['text', Buffer.from('hello world garbage')],
  ['0xff bytes', Buffer.alloc(64, 0xff)],
];

describe.each<OfflineMessageKind>(['proposal', 'transaction', 'commit'])('%s', (kind) => {
  test.each(garbage)('%s → 400 OFFLINE_MESSAGE_INVALID naming the field', (_what, bytes) => {
    const err = rejection(kind, bytes);
    expect(err.problem).toMatchObject({ status: 400, code: 'OFFLINE_MESSAGE_INVALID', errors: [{ pointer: `/body/${kind}` }] });
  });

  test('another kind of message → 400', () => {
    const other = kind === 'commit' ? proposalBytes() : commitBytes();
    expect(rejection(kind, other).problem.code).toBe('OFFLINE_MESSAGE_INVALID');
  });

  test('another channel → 400', () => {
    const bytes = { proposal: proposalBytes, transaction: transactionBytes, commit: commitBytes }[kind]('otherchannel');
    expect(rejection(kind, bytes).problem.detail).toContain('another channel');
  });

  test('no transaction id → 400', () => {
    const bytes = { proposal: proposalBytes, transaction: transactionBytes, commit: commitBytes }[kind](CHANNEL, '');
    expect(rejection(kind, bytes).problem.detail).toContain('no transaction id');
  });

  test('an empty signature → 400 naming the signature', () => {
    const bytes = { proposal: proposalBytes, transaction: transactionBytes, commit: commitBytes }[kind]();
    expect(rejection(kind, bytes, new Uint8Array()).problem.errors).toEqual([{ pointer: '/body/signature', detail: 'is empty' }]);
  });
});

test('a transaction without the endorsed action fabric-gateway reads its result from → 400', () => {
  expect(rejection('transaction', transactionBytes(CHANNEL, 'tx1', false)).problem.detail).toContain('no transaction action');
});

/** A small seeded generator (mulberry32), so that a fuzz run is the same run every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every answer is a 400 problem, and one that says why: an unexplained one would be google-protobuf
 * failing on bytes the wire check let through, i.e. bytes it may have read past their end.
 */
function expectExplainedOrAccepted(kind: OfflineMessageKind, bytes: Uint8Array): void {
  try {
    checkOfflineMessage(kind, bytes, SIG, CHANNEL);
  } catch (err) {
    expect(err).toBeInstanceOf(HttpProblem);
    const detail = (err as HttpProblem).problem.detail ?? '';
    expect([Buffer.from(bytes).toString('hex'), detail]).toEqual([Buffer.from(bytes).toString('hex'), expect.stringMatching(/\)$|another channel|no transaction id/)]);
  }
}

test('a random-bytes fuzz never escapes as anything but an explained 400 problem', () => {
  const random = seeded(0x5eed);
  for (let i = 0; i < 3000; i++) {
    const bytes = Buffer.from(Array.from({ length: 1 + (i % 40) }, () => Math.floor(random() * 256)));
    for (const kind of ['proposal', 'transaction', 'commit'] as const) expectExplainedOrAccepted(kind, bytes);
  }
});

test('valid messages with bytes changed at random are accepted or refused with a reason', () => {
  const random = seeded(0xfab);
  const valid = { proposal: proposalBytes(), transaction: transactionBytes(), commit: commitBytes() };
  for (const kind of ['proposal', 'transaction', 'commit'] as const) {
    for (let i = 0; i < 1500; i++) {
      const bytes = Buffer.from(valid[kind]);
      for (let changes = 1 + Math.floor(random() * 3); changes > 0; changes--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      expectExplainedOrAccepted(kind, bytes);
    }
  }
});

describe('a length that claims more than the bytes hold', () => {
  // Found by the random-bytes fuzz: google-protobuf spent 4 s of CPU on the first before refusing it.
  test.each<[OfflineMessageKind, string]>([
    ['proposal', '0af193e6cc72'],
    ['commit', '0af193e6cc72'],
    ['transaction', '12f193e6cc72'],
  ])('%s %s → 400 from the wire check, before google-protobuf reads it', (kind, hex) => {
    expect(rejection(kind, Buffer.from(hex, 'hex')).problem.detail).toContain('runs past the end');
  });

  test('deep inside the proposal (a channel header string that claims 900 MB) → 400 from the wire check', () => {
    const header = new common.Header();
    header.setChannelHeader(Buffer.from('22a6a6ddc319c9f67f8f9c54ce62afdb855e9af9576ebddc5454fc0f9503ba', 'hex'));
    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(proposal.serializeBinary());
    const proposed = new gateway.ProposedTransaction();
    proposed.setTransactionId('tx1');
    proposed.setProposal(signed);
    expect(rejection('proposal', proposed.serializeBinary()).problem.detail).toContain('ChannelHeader: a field runs past the end');
  });
});
