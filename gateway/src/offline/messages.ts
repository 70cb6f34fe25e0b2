/**
 * Checks the messages a client sends back to the offline-signing endpoints before they reach
 * fabric-gateway. The library parses them with google-protobuf, which throws plain Errors
 * ("Decoder hit an error", "Missing signed proposal") for bytes that are not the message it
 * expects; those are the client's fault, so they are answered 400 OFFLINE_MESSAGE_INVALID here
 * rather than surfacing as a 500. The parse mirrors fabric-gateway's own (gateway.newProposal,
 * newTransaction, newCommit) and adds what it leaves to the peers: a transaction id, and this
 * gateway's channel. Before any of that, the bytes' wire format is walked with every length
 * checked (fabric-core's wire check, deep: fabric-gateway decodes every layer), so a length that
 * claims more than the bytes hold costs nothing.
 */
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { checkWire, MalformedWire, type MessageName } from '@healthledger/fabric-core/protos';
import { HttpProblem } from '../errors/problem';

/** The offline messages: the body field that carries each, and the endpoint that issues it. */
export type OfflineMessageKind = 'proposal' | 'transaction' | 'commit';

/** The outermost message of each offline kind, as the wire check names it. */
const OFFLINE_ROOTS = {
  proposal: 'ProposedTransaction',
  transaction: 'PreparedTransaction',
  commit: 'SignedCommitStatusRequest',
} as const satisfies Record<OfflineMessageKind, MessageName>;

const ISSUER: Readonly<Record<OfflineMessageKind, string>> = {
  proposal: 'POST /offline/proposals',
  transaction: 'POST /offline/proposals/endorsement',
  commit: 'POST /offline/transactions/submission',
};

/** A check that failed: says what was wrong, never echoes the bytes. */
class Invalid extends Error {}

function need<T>(value: T | undefined | null | '', what: string): T {
  if (value === undefined || value === null || value === '') throw new Invalid(`no ${what}`);
  return value;
}

function channelOf(headerBytes: Uint8Array): { channel: string; txId: string } {
  const channelHeader = common.ChannelHeader.deserializeBinary(need(headerBytes.length > 0 ? headerBytes : undefined, 'channel header'));
  return { channel: channelHeader.getChannelId(), txId: channelHeader.getTxId() };
}

function parseProposal(bytes: Uint8Array): { channel: string; txId: string } {
  const proposed = gateway.ProposedTransaction.deserializeBinary(bytes);
  const signed = need(proposed.getProposal(), 'signed proposal');
  const proposal = peer.Proposal.deserializeBinary(need(nonEmpty(signed.getProposalBytes_asU8()), 'proposal bytes'));
  const header = common.Header.deserializeBinary(need(nonEmpty(proposal.getHeader_asU8()), 'proposal header'));
  const ids = channelOf(header.getChannelHeader_asU8());
  if (ids.txId !== proposed.getTransactionId()) throw new Invalid('transaction ids disagree');
  return ids;
}

function parseTransaction(bytes: Uint8Array): { channel: string; txId: string } {
  const prepared = gateway.PreparedTransaction.deserializeBinary(bytes);
  const envelope = need(prepared.getEnvelope(), 'envelope');
  const payload = common.Payload.deserializeBinary(need(nonEmpty(envelope.getPayload_asU8()), 'envelope payload'));
  const header = need(payload.getHeader(), 'payload header');
  const ids = channelOf(header.getChannelHeader_asU8());
  // fabric-gateway reads the chaincode result out of the first action when it builds the transaction.
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = need(transaction.getActionsList()[0], 'transaction action');
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = need(actionPayload.getAction(), 'endorsed action');
  const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  need(peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getResponse(), 'chaincode response');
  if (ids.txId !== prepared.getTransactionId()) throw new Invalid('transaction ids disagree');
  return ids;
}

function parseCommit(bytes: Uint8Array): { channel: string; txId: string } {
  const signed = gateway.SignedCommitStatusRequest.deserializeBinary(bytes);
  const request = gateway.CommitStatusRequest.deserializeBinary(need(nonEmpty(signed.getRequest_asU8()), 'commit status request'));
  return { channel: request.getChannelId(), txId: request.getTransactionId() };
}

function nonEmpty(bytes: Uint8Array): Uint8Array | undefined {
  return bytes.length > 0 ? bytes : undefined;
}

const PARSERS: Readonly<Record<OfflineMessageKind, (bytes: Uint8Array) => { channel: string; txId: string }>> = {
  proposal: parseProposal,
  transaction: parseTransaction,
  commit: parseCommit,
};

function invalid(field: string, detail: string): HttpProblem {
  return new HttpProblem('OFFLINE_MESSAGE_INVALID', `${field} ${detail}`, {}, [{ pointer: `/body/${field}`, detail }]);
}

/**
 * Checks that `bytes` are a `kind` message as the gateway issued it, for `channel`, and that the
 * signature is present; returns the message's transaction id.
 * @throws HttpProblem 400 OFFLINE_MESSAGE_INVALID naming the field.
 */
export function checkOfflineMessage(kind: OfflineMessageKind, bytes: Uint8Array, signature: Uint8Array, channel: string): string {
  let ids: { channel: string; txId: string };
  try {
    // Bounds first: google-protobuf spends CPU in proportion to a length the bytes merely claim.
    checkWire(OFFLINE_ROOTS[kind], bytes, { deep: true });
    ids = PARSERS[kind](bytes);
  } catch (err) {
    const why = err instanceof Invalid || err instanceof MalformedWire ? ` (${err.message})` : '';
    throw invalid(kind, `is not a ${kind} as ${ISSUER[kind]} returns it${why}`);
  }
  if (ids.txId === '') throw invalid(kind, 'has no transaction id');
  if (ids.channel !== channel) throw invalid(kind, `is for another channel than ${channel}`);
  // Whether a signature is valid only the peers can tell (they answer 403); an empty one is plainly not.
  if (signature.length === 0) throw invalid('signature', 'is empty');
  return ids.txId;
}
