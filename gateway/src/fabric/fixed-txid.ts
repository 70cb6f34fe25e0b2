/**
 * Proposals with a transaction id chosen beforehand. Fabric's transaction id is
 * SHA-256(nonce ‖ creator), both carried in the proposal's signature header; fabric-gateway draws
 * a random nonce for every proposal it builds. An idempotent submit needs the same id on every
 * attempt and after a restart (so the ledger, which refuses a second transaction with an id it
 * has committed, guarantees one effect), so it draws the nonce itself, records it, and rewrites a
 * freshly built, still unsigned proposal to carry it. `Gateway.newProposal(bytes)` then signs the
 * rewritten bytes with the gateway's signer as it would its own.
 *
 * Only the nonce needs keeping: the rest of the proposal (arguments, transient data) is rebuilt
 * from the request, so no private input has to be stored to repeat it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { BinaryWriter } from 'google-protobuf';

/** Fabric's nonce length (fabric-gateway and the Fabric SDKs draw 24 random bytes). */
export const NONCE_BYTES = 24;

/** A fresh nonce. */
export function newNonce(): Uint8Array {
  return randomBytes(NONCE_BYTES);
}

/** Fabric's transaction id for a nonce and a serialized creator identity. */
export function transactionIdOf(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** What {@link rewriteProposal} changes in a proposal. */
export interface ProposalChanges {
  /** The nonce to carry, with the transaction id that follows from it. */
  nonce?: Uint8Array;
  /** Transient data to add to the payload's transient map (text as UTF-8, as fabric-gateway sends it). */
  transient?: Record<string, string | Uint8Array>;
}

/**
 * The serialized `gateway.ProposedTransaction` of an unsigned proposal, rewritten to carry `nonce`
 * and the transaction id that follows from it (in the channel header and the wrapper). Throws on
 * a proposal that is already signed: its signature would no longer match.
 */
export function withNonce(proposedTransaction: Uint8Array, nonce: Uint8Array): { bytes: Uint8Array; txId: string } {
  return rewriteProposal(proposedTransaction, { nonce });
}

/**
 * The serialized `gateway.ProposedTransaction` of an unsigned proposal with `changes` made: a
 * nonce (see {@link withNonce}) and/or transient data put into its payload. Built without
 * transient data and given it here, a proposal is written with its transient data copied once:
 * fabric-gateway serialises the payload, then the proposal around it, then (getBytes) the wrapper
 * around that — an upload's 4 MiB three times over. Throws on a signed proposal.
 */
export function rewriteProposal(proposedTransaction: Uint8Array, changes: ProposalChanges): { bytes: Uint8Array; txId: string } {
  const proposed = gateway.ProposedTransaction.deserializeBinary(proposedTransaction);
  const signed = proposed.getProposal();
  if (!signed) throw new Error('proposed transaction without a proposal');
  if (signed.getSignature_asU8().length > 0) throw new Error('cannot change a signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  let txId = proposed.getTransactionId();
  if (changes.nonce) {
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    txId = transactionIdOf(changes.nonce, signatureHeader.getCreator_asU8());
    signatureHeader.setNonce(changes.nonce);
    channelHeader.setTxId(txId);
    header.setSignatureHeader(signatureHeader.serializeBinary());
    header.setChannelHeader(channelHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
  }
  let payload: peer.ChaincodeProposalPayload | undefined;
  if (changes.transient) {
    payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const transientMap = payload.getTransientmapMap();
    for (const [key, value] of Object.entries(changes.transient)) transientMap.set(key, typeof value === 'string' ? Buffer.from(value) : value);
  }
  return { bytes: serializedProposedTransaction(txId, proposal, payload, proposed.getEndorsingOrganizationsList()), txId };
}

/**
 * The transient data a serialized `gateway.ProposedTransaction` carries, each value a view into
 * `proposedTransaction` (google-protobuf reads bytes fields as views), not a copy.
 */
export function transientViews(proposedTransaction: Uint8Array): Map<string, Uint8Array> {
  const views = new Map<string, Uint8Array>();
  const signed = gateway.ProposedTransaction.deserializeBinary(proposedTransaction).getProposal();
  if (!signed) return views;
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8()).getPayload_asU8());
  payload.getTransientmapMap().forEach((value: Uint8Array | string, key: string) => typeof value !== 'string' && views.set(key, value));
  return views;
}

/**
 * An unsigned `gateway.ProposedTransaction` carrying `proposal` with `payload` (when given) as its payload,
 * written as the generated serializers would write it (fields in order, empty ones left out) but
 * in one pass: the SignedProposal's `proposal_bytes` is the Proposal, and its `payload` the
 * ChaincodeProposalPayload, written in place, so the transient data are copied once. A nested
 * message and its serialised bytes have the same wire form, so the bytes are the same.
 */
function serializedProposedTransaction(txId: string, proposal: peer.Proposal, payload: peer.ChaincodeProposalPayload | undefined, endorsingOrgs: string[]): Uint8Array {
  const writer = new BinaryWriter();
  if (txId.length > 0) writer.writeString(1, txId);
  writer.writeMessage(2, proposal, (p: peer.Proposal, signed: BinaryWriter) => {
    // proposal_bytes; the signature (2) is empty
    signed.writeMessage(1, p, (_: peer.Proposal, w: BinaryWriter) => {
      const header = p.getHeader_asU8();
      if (header.length > 0) w.writeBytes(1, header);
      if (payload) w.writeMessage(2, payload, (m: peer.ChaincodeProposalPayload, to: BinaryWriter) => peer.ChaincodeProposalPayload.serializeBinaryToWriter(m, to)); // never empty: it holds the chaincode input
      else if (p.getPayload_asU8().length > 0) w.writeBytes(2, p.getPayload_asU8());
      const extension = p.getExtension_asU8();
      if (extension.length > 0) w.writeBytes(3, extension);
    });
  });
  if (endorsingOrgs.length > 0) writer.writeRepeatedString(3, endorsingOrgs);
  return writer.getResultBuffer();
}
