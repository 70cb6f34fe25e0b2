export { CommitFeed, WaitAbortedError, type CommitAudience, type CommitNotifier, type CommittedTx, type TxCommitStatus } from './commit-feed';
export { Committer, type CommitterOptions } from './committer';
export { endorsementValid, VALIDATION_PARAMETER } from './endorsement';
