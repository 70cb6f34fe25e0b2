/**
 * Failures of the peer↔chaincode connection, worded as a Fabric 2.5 peer words them (see
 * docs/design/fabric-conformance.md, Other observations: "chaincode service down", "contract
 * sleeps 35 s").
 */

/** The peer could not reach or register the chaincode server ("could not launch chaincode …"). */
export class ChaincodeLaunchError extends Error {
  override readonly name = 'ChaincodeLaunchError';
}

/** A transaction was sent but did not finish normally (timeout, stream terminated). */
export class ChaincodeExecuteError extends Error {
  override readonly name = 'ChaincodeExecuteError';
}

/** A request from the chaincode failed; the text becomes "<TYPE> failed: transaction ID: <txid>: <text>". */
export class ChaincodeRequestError extends Error {
  override readonly name = 'ChaincodeRequestError';
}
