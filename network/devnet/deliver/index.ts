export { blockTransactions, transactionsFilter, type BlockTransaction } from './block-transactions';
export { filteredBlock } from './filtered-block';
export { blockAndPrivateData, type PrivateDataSupport } from './private-data';
export { checkAccess, DeliverStatusError, MAX_TIME_SKEW_MS, resolveSeek, type SeekRange, type SeekSupport } from './seek';
export { deliverServiceImplementation, serveDeliver, type DeliverFlavour, type DeliverSupport } from './serve';
export { writeWithBackPressure } from './stream-write';
