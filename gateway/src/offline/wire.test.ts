import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { checkWire, MalformedWire, OFFLINE_ROOTS } from './wire';

/** The generated class of each layout, to hold the layouts to what google-protobuf reads. */
const CLASSES = {
  ProposedTransaction: gateway.ProposedTransaction,
  SignedProposal: peer.SignedProposal,
  Proposal: peer.Proposal,
  Header: common.Header,
  ChannelHeader: common.ChannelHeader,
  PreparedTransaction: gateway.PreparedTransaction,
  Envelope: common.Envelope,
  Payload: common.Payload,
  Transaction: peer.Transaction,
  TransactionAction: peer.TransactionAction,
  ChaincodeActionPayload: peer.ChaincodeActionPayload,
  ChaincodeEndorsedAction: peer.ChaincodeEndorsedAction,
  Endorsement: peer.Endorsement,
  ProposalResponsePayload: peer.ProposalResponsePayload,
  ChaincodeAction: peer.ChaincodeAction,
  Response: peer.Response,
  ChaincodeID: peer.ChaincodeID,
  SignedCommitStatusRequest: gateway.SignedCommitStatusRequest,
  CommitStatusRequest: gateway.CommitStatusRequest,
} as const;

/** Field numbers google-protobuf's generated reader decodes as a string or a nested message, with which. */
function structuredFields(type: { deserializeBinaryFromReader: (...args: never[]) => unknown }): [number, 'readString' | 'readMessage'][] {
  const source = String(type.deserializeBinaryFromReader);
  // Each `case N:` up to its `break` is one field's decoding.
  return [...source.matchAll(/case (\d+):([\s\S]*?)break;/g)].flatMap((m) => {
    const read = /reader\.(readString|readMessage)\(/.exec(m[2] ?? '')?.[1];
    return read === 'readString' || read === 'readMessage' ? [[Number(m[1]), read] as [number, typeof read]] : [];
  });
}

function walked(name: Parameters<typeof checkWire>[0], bytes: Uint8Array): string | undefined {
  try {
    checkWire(name, bytes);
    return undefined;
  } catch (err) {
    if (err instanceof MalformedWire) return err.message;
    throw err;
  }
}

test('every field google-protobuf reads as a string or a message is in the layout, with that kind', () => {
  for (const [name, type] of Object.entries(CLASSES) as [keyof typeof CLASSES, (typeof CLASSES)[keyof typeof CLASSES]][]) {
    for (const [field, read] of structuredFields(type)) {
      // A field the walk did not know would be skipped unchecked and then read by google-protobuf.
      expect([name, field, walked(name, Uint8Array.from([(field << 3) | 2, 0x7f]))]).toEqual([name, field, expect.stringContaining('runs past the end')]);
      // A message field is walked as a message: a nested length past its end is refused too.
      const nested = walked(name, Uint8Array.from([(field << 3) | 2, 2, (15 << 3) | 2, 0x7f]));
      expect([name, field, nested]).toEqual([name, field, read === 'readMessage' ? expect.stringContaining('runs past the end') : undefined]);
    }
  }
  // The regular expression itself finds fields (a layout check that checks nothing would pass too).
  expect(structuredFields(common.ChannelHeader)).toEqual([[3, 'readMessage'], [4, 'readString'], [5, 'readString']]);
  expect(structuredFields(gateway.ProposedTransaction)).toEqual([[1, 'readString'], [2, 'readMessage'], [3, 'readString']]);
});

test('a length that claims more than the bytes hold is refused before google-protobuf reads it', () => {
  // Found by the random-bytes fuzz: google-protobuf spent 4 s on the first and 49 s on the second.
  expect(walked('ProposedTransaction', Buffer.from('0af193e6cc72', 'hex'))).toContain('runs past the end');
  const channelHeader = Buffer.from('22a6a6ddc319c9f67f8f9c54ce62afdb855e9af9576ebddc5454fc0f9503ba', 'hex');
  const header = new common.Header();
  header.setChannelHeader(channelHeader);
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  const proposed = new gateway.ProposedTransaction();
  proposed.setTransactionId('tx1');
  proposed.setProposal(signed);
  expect(walked(OFFLINE_ROOTS.proposal, proposed.serializeBinary())).toContain('runs past the end');
});

test('a known field with another wire type, a group, or nesting beyond reason is refused', () => {
  expect(walked('CommitStatusRequest', Uint8Array.from([0x08, 0x01]))).toBe('CommitStatusRequest: field 1 has wire type 0');
  expect(walked('ChannelHeader', Uint8Array.from([0x0a, 0x00]))).toBe('ChannelHeader: field 1 has wire type 2');
  expect(walked('Endorsement', Uint8Array.from([0x1b, 0x1c]))).toContain('wire type 3');
});

test('unknown fields are skipped within their bounds, as google-protobuf skips them', () => {
  expect(walked('CommitStatusRequest', Uint8Array.from([0x48, 0x96, 0x01, 0x52, 0x01, 0x00, 0x5d, 1, 2, 3, 4, 0x61, 1, 2, 3, 4, 5, 6, 7, 8]))).toBeUndefined();
  expect(walked('CommitStatusRequest', Uint8Array.from([0x52, 0x05, 0x00]))).toContain('runs past the end');
  expect(walked('CommitStatusRequest', Uint8Array.from([0x5d, 1, 2]))).toContain('runs past the end');
});

test('a whole transaction with every field google-protobuf reads passes', () => {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(3);
  channelHeader.setChannelId('healthchannel');
  channelHeader.setTxId('tx1');
  channelHeader.setEpoch(7);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(Buffer.from('sig-header'));
  const response = new peer.Response();
  response.setStatus(200);
  response.setMessage('ok');
  response.setPayload(Buffer.from('{}'));
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName('records');
  chaincodeId.setVersion('1');
  const action = new peer.ChaincodeAction();
  action.setResults(Buffer.from('rwset'));
  action.setResponse(response);
  action.setChaincodeId(chaincodeId);
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setProposalHash(Buffer.alloc(32, 1));
  responsePayload.setExtension$(action.serializeBinary());
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(Buffer.from('endorser'));
  endorsement.setSignature(Buffer.from('signature'));
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  endorsed.addEndorsements(endorsement);
  endorsed.addEndorsements(endorsement);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(Buffer.from('input'));
  actionPayload.setAction(endorsed);
  const transactionAction = new peer.TransactionAction();
  transactionAction.setHeader(Buffer.from('sig-header'));
  transactionAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.addActions(transactionAction);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  envelope.setSignature(Buffer.from('signature'));
  const prepared = new gateway.PreparedTransaction();
  prepared.setTransactionId('tx1');
  prepared.setEnvelope(envelope);
  expect(walked(OFFLINE_ROOTS.transaction, prepared.serializeBinary())).toBeUndefined();
});
