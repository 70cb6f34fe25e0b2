/**
 * The shape of the transaction catalogue: every transaction the chaincode serves, described once.
 * The chaincode's contracts take their Fabric metadata (submit or evaluate) and their caller gate
 * from it; the REST gateway takes its routes' request schemas, transient fields and submit/evaluate
 * path from it. Nothing here loads Fabric.
 */
import type { TSchema } from '@sinclair/typebox';
import type { OrgKind } from '../organizations';
import type { Role } from '../roles';

/** The chaincode's contracts (Fabric contract names). */
export type ContractName = 'records' | 'consent' | 'emergency' | 'audit' | 'coverage' | 'claims' | 'trace' | 'research';

/**
 * Submit: endorsed, ordered and committed (it may write). Evaluate: run on one peer, nothing
 * committed. Fabric's contract metadata records this as the transaction's `SUBMIT`/`EVALUATE` tag.
 */
export type TransactionMode = 'submit' | 'evaluate';

/** A private input that travels as transient data (never written to the public ledger). */
export interface TransientSpec {
  /** The transient map key, and the REST body field carrying it. */
  readonly name: string;
  readonly required: boolean;
  /** The value's shape at the REST edge (it reaches the chaincode as UTF-8 JSON or text). */
  readonly schema: TSchema;
  readonly description: string;
  /**
   * Who supplies the value: the caller (a body field at the REST edge; the default), or, for a
   * salt, whoever submits — the REST gateway draws a fresh random one per call and the caller
   * never sees it as a field.
   */
  readonly supplier?: 'caller' | 'random-salt';
  /**
   * The request field naming the value's media type (record content's `contentType`): the REST
   * edge encodes the body field by it (a JSON value as its JSON text, text as UTF-8) and accepts
   * the value as a raw upload body whose `Content-Type` fills that field.
   */
  readonly typedBy?: string;
}

/**
 * Who may call. `roles` and `orgKinds` are the gate the chaincode enforces before the transaction
 * runs (absent: any role, any organisation of the consortium); `rule` is the full rule in words,
 * including the finer checks the transaction makes on the data (custodian, owner, patient…).
 */
export interface CallerSpec {
  readonly roles?: readonly Role[];
  readonly orgKinds?: readonly OrgKind[];
  readonly rule: string;
}

/**
 * The transaction writes private data staged by a transaction of its own first: the stage takes
 * the transient data and writes only the caller organisation's implicit collection, so Fabric's
 * gateway plans its endorsement from that organisation alone and the private data reaches no
 * other organisation; this transaction then carries only the staged value's hash.
 */
export interface StagedBy {
  /** The staging transaction's name in the same contract. */
  readonly stage: string;
  /** The field of the stage's result (and of this request) holding the staged value's SHA-256. */
  readonly hashField: string;
  /** The transaction that purges a staged value whose second step failed. */
  readonly discard: string;
  /** The private data is optional: without it, the transaction runs alone (no stage). */
  readonly optional?: boolean;
}

/** One transaction of the catalogue. */
export interface TransactionSpec {
  readonly contract: ContractName;
  /** The function name within the contract. */
  readonly name: string;
  /** `contract:name`, what a Fabric client passes as the transaction name. */
  readonly qualifiedName: string;
  readonly mode: TransactionMode;
  /** The JSON request passed as the single argument. */
  readonly request: TSchema;
  readonly transient: readonly TransientSpec[];
  readonly callers: CallerSpec;
  readonly stagedBy?: StagedBy;
  /** One line: what the transaction does. */
  readonly summary: string;
  /** The JSON the transaction answers, where the catalogue describes it (the REST gateway documents and checks it). */
  readonly result?: TSchema;
  /** For a list transaction (`{ items, bookmark }`): the schema of one item. */
  readonly items?: TSchema;
}

/** What a contract's catalogue module declares per transaction (contract and name come from the key). */
export type TransactionInput = Omit<TransactionSpec, 'contract' | 'name' | 'qualifiedName' | 'transient'> & {
  readonly transient?: readonly TransientSpec[];
};

/** Builds a contract's catalogue from its declarations, keyed by function name. */
export function defineContract<const T extends Record<string, TransactionInput>>(
  contract: ContractName,
  transactions: T,
): { readonly [K in keyof T & string]: TransactionSpec } {
  const out: Record<string, TransactionSpec> = {};
  for (const [name, input] of Object.entries(transactions)) {
    out[name] = { ...input, contract, name, qualifiedName: `${contract}:${name}`, transient: input.transient ?? [] };
  }
  return out as { readonly [K in keyof T & string]: TransactionSpec };
}
