export { blockTransactions, transactionsFilter, type BlockTransaction } from './block-transactions';
export { filteredBlock } from './filtered-block';
export { blockAndPrivateData, type PrivateDataSupport } from './private-data';
export { ACCESS_RECHECK_MS, checkAccess, DeliverStatusError, MAX_TIME_SKEW_MS, resolveSeek, sessionAccess, type SeekRange, type SeekSupport } from './seek';
export { blockResponsePrefix, DELIVER_SERVICE, deliverServiceImplementation, serveDeliver, type DeliverFlavour, type DeliverSupport } from './serve';
export { writeWithBackPressure } from './stream-write';
