export { SimulationError, UnsupportedTransactionError, QueryNotSupportedError } from './errors';
export { ArrayIterator, RangeScanIterator, type ResultsIterator, type StateRecord } from './iterators';
export { compareKeys, sortedKeys } from './keys';
export { LIFECYCLE_NAMESPACE } from './lifecycle';
export {
  RANGE_QUERY_MAX_DEGREE,
  RangeQueryResults,
  rangeQueryInfo,
  rangeQueryReadsMatch,
  type RangeQueryReads,
} from './range-query';
export { RWSetBuilder, kvRead, type SimulationResults } from './rwset-builder';
export { TxSimulator, type HistoryEntry } from './simulator';
export { InterestRecorder } from './interest';
