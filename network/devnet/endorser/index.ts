export { processProposal, type EndorserOutcome, type EndorserSupport } from './endorser';
export { endorse, proposalResponsePayload, type ActionParts } from './response';
export { ProposalRejectedError, preProcess, unpackForEndorsement, type ProposalCheckSupport } from './validate';
