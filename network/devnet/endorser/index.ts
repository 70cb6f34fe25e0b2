export { processProposal, type EndorserOutcome } from './endorser';
export { endorse, proposalResponsePayload, type ActionParts } from './response';
export { ProposalRejectedError, preProcess, unpackForEndorsement } from './validate';
