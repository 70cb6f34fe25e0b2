/**
 * Conformance (docs/design/devnet-fidelity.md, "Malformed client messages"): what a peer answers
 * to bytes that are not the message they claim to be, sent raw over gRPC, and how soon.
 *
 * A Fabric peer (grpc-go, Go's protobuf) refuses a request it cannot unmarshal with INTERNAL
 * before any handler runs, and a malformed message nested in a request's bytes where the handler
 * unmarshals it (Endorse: INVALID_ARGUMENT; Deliver: a BAD_REQUEST status). Either way at once.
 * The inputs include strings whose length claims gigabytes: google-protobuf 3.21 decodes such a
 * string one loop turn per claimed byte before it fails, which held the devnet's thread for 4 s
 * (the six bytes) and 49 s (the 31 bytes) before the devnet walked requests with the wire check.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway as gw, orderer, peer } from '@hyperledger/fabric-protos';
import { startNetwork, type ConformanceNetwork } from './harness';

/** Generous: the answer takes milliseconds; the old devnet took 4 s and 49 s of CPU for two of these. */
const ANSWER_WITHIN_MS = 5000;

/** `0a f1 93 e6 cc 72`: field 1, a string that claims ~3 GB. */
const SIX_BYTES = Buffer.from('0af193e6cc72', 'hex');
/** 31 bytes: field 4, a string that claims gigabytes, then bytes that google-protobuf reads on into. */
const THIRTY_ONE_BYTES = Buffer.from('22a6a6ddc319c9f67f8f9c54ce62afdb855e9af9576ebddc5454fc0f9503ba', 'hex');

let net: ConformanceNetwork;

beforeAll(async () => {
  net = await startNetwork();
});

afterAll(async () => {
  await net?.stop();
});

interface Answer {
  code: grpc.status;
  details: string;
  ms: number;
}

/** A unary Gateway call with `bytes` as the request, exactly as given. */
async function unary(method: 'Endorse' | 'Evaluate' | 'CommitStatus', bytes: Uint8Array): Promise<Answer> {
  const started = Date.now();
  const client = net.client('Org1MSP');
  return new Promise<Answer>((resolve) => {
    client.makeUnaryRequest(
      `/gateway.Gateway/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(bytes),
      { deadline: Date.now() + 60_000 },
      (err) => resolve({ code: err?.code ?? grpc.status.OK, details: err?.details ?? '', ms: Date.now() - started }),
    );
  });
}

/** One Deliver request envelope, raw: the stream's status or the first DeliverResponse's. */
async function deliver(bytes: Uint8Array): Promise<Answer & { deliverStatus?: number }> {
  const started = Date.now();
  const stream = net.client('Org1MSP').makeBidiStreamRequest(
    '/protos.Deliver/Deliver',
    (b: Buffer) => b,
    (b: Buffer) => peer.DeliverResponse.deserializeBinary(b),
    { deadline: Date.now() + 60_000 },
  );
  return new Promise((resolve) => {
    stream.on('data', (response: peer.DeliverResponse) => {
      if (response.getTypeCase() !== peer.DeliverResponse.TypeCase.STATUS) return;
      resolve({ code: grpc.status.OK, details: '', ms: Date.now() - started, deliverStatus: response.getStatus() });
      stream.cancel();
    });
    stream.on('error', (err: grpc.ServiceError) => resolve({ code: err.code, details: err.details, ms: Date.now() - started }));
    stream.write(Buffer.from(bytes));
    stream.end();
  });
}

/** A SignedProposal of `proposalBytes`, signed with garbage (the bytes are refused before any signature check). */
function signedProposal(proposalBytes: Uint8Array): peer.SignedProposal {
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposalBytes);
  signed.setSignature(Buffer.from('signature'));
  return signed;
}

/** A SignedProposal whose proposal's header's channel header is `channelHeader`. */
function signedProposalWithChannelHeader(channelHeader: Uint8Array): peer.SignedProposal {
  const header = new common.Header();
  header.setChannelHeader(channelHeader);
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  return signedProposal(proposal.serializeBinary());
}

function endorseRequest(signed: peer.SignedProposal): Uint8Array {
  const request = new gw.EndorseRequest();
  request.setTransactionId('tx1');
  request.setChannelId('mychannel');
  request.setProposedTransaction(signed);
  return request.serializeBinary();
}

describe('a request that cannot be unmarshalled: INTERNAL, before any handler runs', () => {
  it.each<[string, 'Endorse' | 'Evaluate', Buffer]>([
    ['a length past the end of the bytes (a string claims 5 bytes, 1 follows)', 'Endorse', Buffer.from('0a0500', 'hex')],
    ['the six bytes: a transaction id that claims ~3 GB', 'Endorse', SIX_BYTES],
    ['the six bytes, to Evaluate', 'Evaluate', SIX_BYTES],
    ['the 31 bytes: an endorsing organisation that claims gigabytes', 'Endorse', THIRTY_ONE_BYTES],
    ['a transaction id that is not UTF-8', 'Endorse', Buffer.from('0a02c328', 'hex')],
    ['a signed proposal (embedded, so unmarshalled with the request) whose proposal bytes claim ~3 GB', 'Endorse', Buffer.from('1a06' + '0af193e6cc72', 'hex')],
  ])('%s (%s)', async (_what, method, bytes) => {
    const answer = await unary(method, bytes);
    expect(answer.code).toBe(grpc.status.INTERNAL);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('a Deliver envelope with a length past the end of the bytes ends the stream with INTERNAL', async () => {
    const answer = await deliver(Buffer.from('0a0500', 'hex'));
    expect(answer.code).toBe(grpc.status.INTERNAL);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });
});

describe('a malformed message nested in the request\'s bytes: answered where it is unmarshalled', () => {
  it.each<[string, peer.SignedProposal, string]>([
    ['a channel header that is the 31 bytes', signedProposalWithChannelHeader(THIRTY_ONE_BYTES), 'ChannelHeader'],
    ['a channel header whose channel id is not UTF-8', signedProposalWithChannelHeader(Buffer.from('2202c328', 'hex')), 'ChannelHeader'],
    ['proposal bytes that are garbage', signedProposal(Buffer.alloc(16, 0xff)), 'Proposal'],
  ])('Endorse with %s: INVALID_ARGUMENT naming the layer', async (_what, signed, layer) => {
    const answer = await unary('Endorse', endorseRequest(signed));
    expect(answer.code).toBe(grpc.status.INVALID_ARGUMENT);
    // Fabric's Endorse answers with the unmarshalling error's text alone (Evaluate puts "failed to unpack transaction proposal: " first).
    expect(answer.details.startsWith(`error unmarshalling ${layer}: `)).toBe(true);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('Endorse with a signed proposal of no proposal bytes: INVALID_ARGUMENT in Fabric\'s words', async () => {
    const answer = await unary('Endorse', endorseRequest(signedProposal(new Uint8Array(0))));
    expect(answer).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'the proposed transaction must contain a signed proposal' });
  });

  it('Evaluate with proposal bytes that are garbage: INVALID_ARGUMENT, "failed to unpack transaction proposal: error unmarshalling Proposal: …"', async () => {
    const request = new gw.EvaluateRequest();
    request.setTransactionId('tx1');
    request.setChannelId('mychannel');
    request.setProposedTransaction(signedProposal(Buffer.alloc(16, 0xff)));
    const answer = await unary('Evaluate', request.serializeBinary());
    expect(answer.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(answer.details.startsWith('failed to unpack transaction proposal: error unmarshalling Proposal: ')).toBe(true);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('CommitStatus whose signed request bytes are the six bytes: INVALID_ARGUMENT', async () => {
    const signed = new gw.SignedCommitStatusRequest();
    signed.setRequest(SIX_BYTES);
    signed.setSignature(Buffer.from('signature'));
    const answer = await unary('CommitStatus', signed.serializeBinary());
    expect(answer.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(answer.details.startsWith('invalid status request: ')).toBe(true);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('Deliver with an envelope whose channel header is the 31 bytes: status BAD_REQUEST', async () => {
    const header = new common.Header();
    header.setChannelHeader(THIRTY_ONE_BYTES);
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(new orderer.SeekInfo().serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());
    const answer = await deliver(envelope.serializeBinary());
    expect(answer).toMatchObject({ code: grpc.status.OK, deliverStatus: common.Status.BAD_REQUEST });
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });
});
