/**
 * Height of the transaction that last wrote a key: its block number and its index in the block
 * (counting every envelope, valid or not). Fabric's `version.Height`.
 */
export interface Version {
  readonly blockNum: bigint;
  readonly txNum: number;
}

/** Orders heights: negative when `a` is lower than `b`. */
export function compareVersions(a: Version, b: Version): number {
  if (a.blockNum !== b.blockNum) return a.blockNum < b.blockNum ? -1 : 1;
  return a.txNum - b.txNum;
}

/** Fabric's rendering in error texts, e.g. `{BlockNum: 92, TxNum: 0}`. */
export function formatVersion(v: Version | undefined): string {
  return v === undefined ? '<nil>' : `{BlockNum: ${v.blockNum}, TxNum: ${v.txNum}}`;
}
