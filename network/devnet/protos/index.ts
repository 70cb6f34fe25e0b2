export {
  ProposalFormatError,
  computeTxId,
  proposalHash,
  proposalPayloadWithoutTransient,
  unpackProposal,
  type UnpackedProposal,
} from './proposal';
export { fromKvVersion, toKvVersion } from './version';
