/**
 * Failures of a simulation step that the chaincode sees as the reason inside
 * "<TYPE> failed: transaction ID: <txid>: <reason>".
 */
export class SimulationError extends Error {
  override readonly name: string = 'SimulationError';
}

/**
 * Fabric's `ErrUnsupportedTransaction`, with its typo "unsuppored" (observed on Fabric 2.5.4).
 */
export class UnsupportedTransactionError extends SimulationError {
  override readonly name = 'UnsupportedTransactionError';

  constructor(txId: string, reason: string) {
    super(`txid [${txId}]: unsuppored transaction. ${reason}`);
  }
}

/** Rich queries on the devnet's LevelDB-like state database. */
export class QueryNotSupportedError extends SimulationError {
  override readonly name = 'QueryNotSupportedError';
}
