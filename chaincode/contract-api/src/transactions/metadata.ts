/**
 * Checks a deployed chaincode's contract metadata (what `org.hyperledger.fabric:GetMetadata`
 * answers, as fabric-contract-api builds it) against the catalogue: every catalogue transaction
 * present with the same submit/evaluate tag, and nothing served that the catalogue lacks.
 */
import type { TransactionMode, TransactionSpec } from './spec';

/** One disagreement between the catalogue and a chaincode's metadata. */
export interface MetadataDifference {
  /** `contract:name`. */
  transaction: string;
  problem: 'missing-from-chaincode' | 'missing-from-catalogue' | 'mode-differs';
  /** For `mode-differs`: the catalogue's and the chaincode's modes. */
  catalogue?: TransactionMode;
  chaincode?: TransactionMode | 'untagged';
}

/** The contract Fabric's contract API adds to every chaincode (metadata and the like): not ours. */
const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

interface MetadataTransaction {
  name?: unknown;
  tag?: unknown;
}

/** The chaincode's transactions by qualified name, with their tag-derived mode. */
export function servedTransactions(metadata: unknown): Map<string, TransactionMode | 'untagged'> {
  const contracts = (metadata as { contracts?: Record<string, { transactions?: MetadataTransaction[] }> } | null)?.contracts ?? {};
  const served = new Map<string, TransactionMode | 'untagged'>();
  for (const [contract, body] of Object.entries(contracts)) {
    if (contract === SYSTEM_CONTRACT) continue;
    for (const tx of body.transactions ?? []) {
      if (typeof tx.name !== 'string') continue;
      const tags = Array.isArray(tx.tag) ? (tx.tag as unknown[]) : [];
      const mode = tags.includes('SUBMIT') ? 'submit' : tags.includes('EVALUATE') ? 'evaluate' : 'untagged';
      served.set(`${contract}:${tx.name}`, mode);
    }
  }
  return served;
}

/** Every difference between `catalogue` and the chaincode `metadata`; empty when they agree. */
export function compareContractMetadata(catalogue: readonly TransactionSpec[], metadata: unknown): MetadataDifference[] {
  const served = servedTransactions(metadata);
  const differences: MetadataDifference[] = [];
  for (const spec of catalogue) {
    const mode = served.get(spec.qualifiedName);
    if (mode === undefined) differences.push({ transaction: spec.qualifiedName, problem: 'missing-from-chaincode' });
    else if (mode !== spec.mode) differences.push({ transaction: spec.qualifiedName, problem: 'mode-differs', catalogue: spec.mode, chaincode: mode });
  }
  const known = new Set(catalogue.map((spec) => spec.qualifiedName));
  for (const name of served.keys()) if (!known.has(name)) differences.push({ transaction: name, problem: 'missing-from-catalogue' });
  return differences;
}
