export { CommitFeed, WaitAbortedError, type CommittedTx } from './commit-feed';
export { Committer, type CommitterOptions } from './committer';
export { findCollection } from './collections';
export { endorsementValid, VALIDATION_PARAMETER } from './endorsement';
