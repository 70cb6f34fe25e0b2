import { createHash } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import { decodeWire, type DecodableName } from './wire-check';

/** A proposal (or one of its nested messages) that cannot be decoded or lacks a required part. */
export class ProposalFormatError extends Error {
  override readonly name = 'ProposalFormatError';
}

/**
 * A SignedProposal taken apart for reading. Every `*Bytes` field is the exact byte string the
 * client signed or hashed; code that builds new messages (transaction envelopes, proposal
 * responses) copies these instead of re-serializing the decoded objects.
 */
export interface UnpackedProposal {
  readonly signedProposal: peer.SignedProposal;
  readonly proposalBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly proposal: peer.Proposal;
  readonly header: common.Header;
  readonly channelHeaderBytes: Uint8Array;
  readonly channelHeader: common.ChannelHeader;
  readonly signatureHeaderBytes: Uint8Array;
  readonly signatureHeader: common.SignatureHeader;
  readonly channelId: string;
  readonly txId: string;
  readonly creator: Uint8Array;
  readonly nonce: Uint8Array;
  /** Chaincode name from `ChaincodeHeaderExtension` ('' when absent: the endorser rejects that). */
  readonly headerChaincodeName: string;
  readonly payload: peer.ChaincodeProposalPayload;
  /** `ChaincodeProposalPayload.input`: the serialized ChaincodeInvocationSpec. */
  readonly invocationSpecBytes: Uint8Array;
  readonly invocationSpec: peer.ChaincodeInvocationSpec;
  /** Chaincode name from the invocation spec ('' when absent). */
  readonly specChaincodeName: string;
  readonly input: peer.ChaincodeInput | undefined;
  readonly transientMap: ReadonlyMap<string, Uint8Array>;
}

/**
 * One layer, walked by the wire check before google-protobuf decodes it (wire-check.ts): a
 * proposal comes from a client, and is unpacked before its signature is checked.
 */
function decode<N extends DecodableName>(what: N, bytes: Uint8Array): ReturnType<typeof decodeWire<N>> {
  try {
    return decodeWire(what, bytes);
  } catch (err) {
    throw new ProposalFormatError(`error unmarshalling ${what}: ${(err as Error).message}`);
  }
}

/**
 * Proposals already unpacked, by the SignedProposal object they came from. In the devnet the
 * gateway and the endorser (and every endorsing peer) unpack the same decoded request, as
 * Fabric's gateway hands its SignedProposal to the local endorser; the second decode of six
 * nested messages is pure waste. A hit also requires the same proposal and signature byte arrays,
 * so a SignedProposal changed after unpacking (a test's tampering) is unpacked again.
 */
const unpacked = new WeakMap<peer.SignedProposal, UnpackedProposal>();

/**
 * Decodes every layer of a SignedProposal without judging its content (that is the job of the
 * gateway's and the endorser's checks, which word their failures differently). The result is
 * shared by every caller with the same SignedProposal object: treat it as read-only.
 */
export function unpackProposal(signedProposal: peer.SignedProposal): UnpackedProposal {
  const cached = unpacked.get(signedProposal);
  if (cached !== undefined && cached.proposalBytes === signedProposal.getProposalBytes_asU8() && cached.signature === signedProposal.getSignature_asU8()) {
    return cached;
  }
  const p = decodeProposal(signedProposal);
  unpacked.set(signedProposal, p);
  return p;
}

function decodeProposal(signedProposal: peer.SignedProposal): UnpackedProposal {
  const proposalBytes = signedProposal.getProposalBytes_asU8();
  const proposal = decode('Proposal', proposalBytes);
  const header = decode('Header', proposal.getHeader_asU8());
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const channelHeader = decode('ChannelHeader', channelHeaderBytes);
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  const signatureHeader = decode('SignatureHeader', signatureHeaderBytes);
  const extension = decode('ChaincodeHeaderExtension', channelHeader.getExtension_asU8());
  const payload = decode('ChaincodeProposalPayload', proposal.getPayload_asU8());
  const invocationSpecBytes = payload.getInput_asU8();
  const invocationSpec = decode('ChaincodeInvocationSpec', invocationSpecBytes);
  const transientMap = new Map<string, Uint8Array>();
  payload.getTransientmapMap().forEach((value, key) => {
    transientMap.set(key, typeof value === 'string' ? Buffer.from(value, 'base64') : value);
  });
  return {
    signedProposal,
    proposalBytes,
    signature: signedProposal.getSignature_asU8(),
    proposal,
    header,
    channelHeaderBytes,
    channelHeader,
    signatureHeaderBytes,
    signatureHeader,
    channelId: channelHeader.getChannelId(),
    txId: channelHeader.getTxId(),
    creator: signatureHeader.getCreator_asU8(),
    nonce: signatureHeader.getNonce_asU8(),
    headerChaincodeName: extension.getChaincodeId()?.getName() ?? '',
    payload,
    invocationSpecBytes,
    invocationSpec,
    specChaincodeName: invocationSpec.getChaincodeSpec()?.getChaincodeId()?.getName() ?? '',
    input: invocationSpec.getChaincodeSpec()?.getInput(),
    transientMap,
  };
}

/** Encoded once per proposal: the proposal hash and the transaction envelope both need it. */
const withoutTransient = new WeakMap<UnpackedProposal, Uint8Array>();

/**
 * `ChaincodeProposalPayload` as it goes into the transaction: the original input bytes, no
 * transient map (transient data is never stored or hashed).
 */
export function proposalPayloadWithoutTransient(p: UnpackedProposal): Uint8Array {
  let bytes = withoutTransient.get(p);
  if (bytes === undefined) {
    const payload = new peer.ChaincodeProposalPayload();
    payload.setInput(p.invocationSpecBytes);
    bytes = payload.serializeBinary();
    withoutTransient.set(p, bytes);
  }
  return bytes;
}

/**
 * Fabric's proposal hash: SHA-256(channel header bytes ‖ signature header bytes ‖ payload without
 * transient data). It binds the endorsement to the proposal and is re-checked at commit.
 */
export function proposalHash(p: UnpackedProposal): Buffer {
  return createHash('sha256')
    .update(p.channelHeaderBytes)
    .update(p.signatureHeaderBytes)
    .update(proposalPayloadWithoutTransient(p))
    .digest();
}

/** Fabric's txid: lowercase hex SHA-256(nonce ‖ creator). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}
