export { ChaincodeConnection, EXECUTE_TIMEOUT_MS, type ChaincodeEndpoint, type RequestHandler } from './connection';
export { TransactionContext, type ChaincodeSupport, type ExecutingPeer } from './context';
export { ChaincodeExecuteError, ChaincodeLaunchError, ChaincodeRequestError } from './errors';
export { ChaincodeExecutionFailure, executeChaincode, executeRaw, parseChaincodeTarget, type ChaincodeResult } from './execute';
export { MAX_RESULT_LIMIT, TOTAL_QUERY_LIMIT } from './queries';
