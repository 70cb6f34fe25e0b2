/** Fabric proposal decoding (what endorsers and the gateway check) and ledger versions on the wire. */
export {
  ProposalFormatError,
  computeTxId,
  proposalHash,
  proposalPayloadWithoutTransient,
  unpackProposal,
  type UnpackedProposal,
} from './proposal';
export { fromKvVersion, toKvVersion, type Version } from './version';
