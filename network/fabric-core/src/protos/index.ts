/** Fabric proposal decoding (what endorsers and the gateway check), the wire check of what clients send (wire-check.ts) and ledger versions on the wire. */
export {
  ProposalFormatError,
  computeTxId,
  proposalHash,
  proposalPayloadWithoutTransient,
  unpackProposal,
  type UnpackedProposal,
} from './proposal';
export { fromKvVersion, toKvVersion, type Version } from './version';
export { checkWire, decodeWire, MalformedWire, MESSAGE_TYPES, type DecodableName, type MessageName, type WireCheckOptions } from './wire-check';
