export { blockTransactions, transactionsFilter, type BlockTransaction } from './block-transactions';
export { filteredBlock } from './filtered-block';
export { blockAndPrivateData } from './private-data';
export { checkAccess, DeliverStatusError, MAX_TIME_SKEW_MS, resolveSeek, type SeekRange } from './seek';
export { serveDeliver, type DeliverFlavour } from './serve';
export { writeWithBackPressure } from './stream-write';
