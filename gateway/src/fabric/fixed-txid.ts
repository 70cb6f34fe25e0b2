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

/**
 * The serialized `gateway.ProposedTransaction` of an unsigned proposal, rewritten to carry `nonce`
 * and the transaction id that follows from it (in the channel header and the wrapper). Throws on
 * a proposal that is already signed: its signature would no longer match.
 */
export function withNonce(proposedTransaction: Uint8Array, nonce: Uint8Array): { bytes: Uint8Array; txId: string } {
  const proposed = gateway.ProposedTransaction.deserializeBinary(proposedTransaction);
  const signed = proposed.getProposal();
  if (!signed) throw new Error('proposed transaction without a proposal');
  if (signed.getSignature_asU8().length > 0) throw new Error('cannot change the nonce of a signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const txId = transactionIdOf(nonce, signatureHeader.getCreator_asU8());
  signatureHeader.setNonce(nonce);
  channelHeader.setTxId(txId);
  header.setSignatureHeader(signatureHeader.serializeBinary());
  header.setChannelHeader(channelHeader.serializeBinary());
  proposal.setHeader(header.serializeBinary());
  return { bytes: serializedProposedTransaction(txId, proposal, proposed.getEndorsingOrganizationsList()), txId };
}

/**
 * An unsigned `gateway.ProposedTransaction` carrying `proposal`, written as its generated
 * serializers would write it (fields in order, empty ones left out) but in one pass: the
 * SignedProposal's `proposal_bytes` is the Proposal written in place, where serialising the
 * Proposal and then the wrapper would copy its payload — an upload's transient data — twice.
 * The wire form of a nested message and of its serialised bytes is the same, so are the bytes.
 */
function serializedProposedTransaction(txId: string, proposal: peer.Proposal, endorsingOrgs: string[]): Uint8Array {
  const writer = new BinaryWriter();
  if (txId.length > 0) writer.writeString(1, txId);
  writer.writeMessage(2, proposal, (p: peer.Proposal, signed: BinaryWriter) => {
    signed.writeMessage(1, p, peer.Proposal.serializeBinaryToWriter); // proposal_bytes; the signature (2) is empty
  });
  if (endorsingOrgs.length > 0) writer.writeRepeatedString(3, endorsingOrgs);
  return writer.getResultBuffer();
}
