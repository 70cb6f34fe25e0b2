export { CommitFeed, WaitAbortedError, type CommittedTx } from './commit-feed';
export { Committer, type CommitterOptions } from './committer';
export { endorsementValid, VALIDATION_PARAMETER } from './endorsement';
