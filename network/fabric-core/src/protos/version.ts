import { ledger } from '@hyperledger/fabric-protos';

/**
 * Height of the transaction that last wrote a key: its block number and its index in the block.
 * Fabric's `version.Height`.
 */
export interface Version {
  readonly blockNum: bigint;
  readonly txNum: number;
}

/**
 * A ledger version on the wire (`kvrwset.Version`). google-protobuf holds uint64 as a JS number;
 * block numbers stay far below 2^53 on a devnet, so the conversion is exact.
 */
export function toKvVersion(version: Version): ledger.rwset.kvrwset.Version {
  const kv = new ledger.rwset.kvrwset.Version();
  kv.setBlockNum(Number(version.blockNum));
  kv.setTxNum(version.txNum);
  return kv;
}

/** The inverse of {@link toKvVersion}; `undefined` for an absent version (key did not exist). */
export function fromKvVersion(kv: ledger.rwset.kvrwset.Version | undefined): Version | undefined {
  return kv ? { blockNum: BigInt(kv.getBlockNum()), txNum: kv.getTxNum() } : undefined;
}
