import type { Contract } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim-api';
import { ClientIdentity, KeyEndorsementPolicy } from 'fabric-shim';
import { createHash } from 'node:crypto';
import { compareKeys, FakeStub, sha256, type TxEffects } from './fake-stub';
import { identity, type TestIdentity } from './identities';
import { registerLedger } from './privacy';

interface StateEntry {
  value: Uint8Array;
  version: number;
  validationParameter?: Uint8Array;
}

interface CollectionRule {
  members: string[];
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** Transient data; strings are UTF-8 encoded. */
  transient?: Record<string, string | Uint8Array>;
  /**
   * Organisations whose peers endorse (each runs the function and results must match). Default:
   * the caller's organisation. Key-level and implicit-collection policies are checked against it.
   */
  endorsers?: string[];
  /** For evaluate: the organisation whose peer runs the query. Default: the caller's. */
  peer?: string;
}

/** Every byte string that reached the public ledger or the event stream, for the privacy scan. */
export interface PublicRecord {
  what: string;
  bytes: Uint8Array;
}

/**
 * An in-memory Fabric channel for contract unit tests: the ledger and the peers that endorse and
 * commit on it, each simulating through a {@link FakeStub}. It runs real contract classes with
 * real X.509 identities, simulates on each endorsing peer, checks state-based and
 * implicit-collection endorsement at commit, and keeps history, hashed private state,
 * per-organisation private stores and events.
 */
export class InMemoryChannel {
  readonly channel = 'healthchannel';
  readonly chaincode = 'healthledger';
  readonly publicRecords: PublicRecord[] = [];
  readonly events: { txId: string; name: string; payload: unknown }[] = [];

  private readonly state = new Map<string, StateEntry>();
  private readonly hashed = new Map<string, { hash: Uint8Array; version: number }>();
  private readonly privateStores = new Map<string, Map<string, Uint8Array>>();
  private readonly historyIndex = new Map<string, Iterators.KeyModification[]>();
  private readonly contracts = new Map<string, Contract>();
  private readonly explicitCollections: Map<string, CollectionRule>;
  private block = 0;
  private txCounter = 0;
  private clockMs: number;

  constructor(options: { contracts: Contract[]; collections?: Record<string, CollectionRule>; start?: string }) {
    for (const c of options.contracts) this.contracts.set(c.getName(), c);
    this.explicitCollections = new Map(Object.entries(options.collections ?? {}));
    this.clockMs = Date.parse(options.start ?? '2026-03-01T09:00:00.000Z');
    registerLedger(this);
  }

  /** A user certificate with Fabric CA attributes (`role`, `patient_id`, `practitioner_id`). */
  user(mspId: string, name: string, attrs: Record<string, string>): Promise<TestIdentity> {
    return identity(mspId, name, attrs);
  }

  /** Moves the transaction clock forward. */
  advance(ms: number): void {
    this.clockMs += ms;
  }

  /** Sets the transaction clock to an ISO time. */
  setTime(iso: string): void {
    this.clockMs = Date.parse(iso);
  }

  get now(): number {
    return this.clockMs;
  }

  /** Submits `contract:fn` and commits it; throws the contract's error, or a policy failure at commit. */
  async submit(who: TestIdentity, fn: string, args: string[] = [], options: InvokeOptions = {}): Promise<string> {
    const txId = this.nextTxId();
    const endorsers = options.endorsers ?? [who.mspId];
    let first: { result: string; effects: TxEffects } | undefined;
    for (const peer of endorsers) {
      const run = await this.simulate(who, fn, args, options, txId, peer);
      if (!first) first = run;
      else if (fingerprint(first) !== fingerprint(run)) throw new Error('ProposalResponsePayloads do not match');
    }
    if (!first) throw new Error('no endorsers');
    this.validate(first.effects, endorsers);
    this.commit(txId, first.effects, first.result);
    return first.result;
  }

  /** Evaluates `contract:fn` on one peer without committing. */
  async evaluate(who: TestIdentity, fn: string, args: string[] = [], options: InvokeOptions = {}): Promise<string> {
    const { result } = await this.simulate(who, fn, args, options, this.nextTxId(), options.peer ?? who.mspId);
    return result;
  }

  /** Committed public value of a key (test inspection). */
  committedValue(key: string): Uint8Array | undefined {
    return this.state.get(key)?.value;
  }

  validationParameter(key: string): Uint8Array | undefined {
    return this.state.get(key)?.validationParameter;
  }

  /** Committed public keys and values in UTF-8 byte order within [start, end). */
  range(start: string, end: string): Iterators.KV[] {
    return [...this.state.entries()]
      .filter(([k]) => compareKeys(k, start) >= 0 && (end === '' || compareKeys(k, end) < 0))
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, e]) => ({ namespace: this.chaincode, key, value: e.value }));
  }

  history(key: string): Iterators.KeyModification[] {
    return [...(this.historyIndex.get(key) ?? [])].reverse();
  }

  /** Collection rules; throws Fabric's error for an unknown collection. */
  collection(name: string, txId: string): CollectionRule {
    const implicit = /^_implicit_org_(.+)$/.exec(name);
    if (implicit?.[1]) return { members: [implicit[1]], memberOnlyRead: false, memberOnlyWrite: false };
    const rule = this.explicitCollections.get(name);
    if (!rule) throw new Error(`GET_STATE failed: transaction ID: ${txId}: collection ${this.channel}/${this.chaincode}/${name} could not be found`);
    return rule;
  }

  /** A peer's private value; non-member peers fail where the hash exists, as Fabric does. */
  privateValue(peerMsp: string, collection: string, key: string, txId: string): Uint8Array | undefined {
    const value = this.privateStores.get(peerMsp)?.get(`${collection}\u0000${key}`);
    const hashed = this.hashed.get(`${collection}\u0000${key}`);
    if (!value && hashed) {
      throw new Error(`GET_STATE failed: transaction ID: ${txId}: private data matching public hash version is not available. Public hash version = {BlockNum: ${hashed.version}, TxNum: 0}, Private data version = <nil>`);
    }
    return value;
  }

  privateHash(collection: string, key: string): Uint8Array | undefined {
    return this.hashed.get(`${collection}\u0000${key}`)?.hash;
  }

  private nextTxId(): string {
    this.txCounter += 1;
    return createHash('sha256').update(`tx-${this.txCounter}-${this.clockMs}`).digest('hex');
  }

  private async simulate(who: TestIdentity, fn: string, args: string[], options: InvokeOptions, txId: string, peer: string): Promise<{ result: string; effects: TxEffects }> {
    const [contractName, fnName] = fn.includes(':') ? fn.split(':', 2) : ['', fn];
    const contract = this.contracts.get(contractName ?? '');
    if (!contract) throw new Error(`Contract name is not known: ${contractName}`);
    const transient = new Map<string, Uint8Array>(Object.entries(options.transient ?? {}).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
    const stub = new FakeStub(this, txId, { mspid: who.mspId, idBytes: Buffer.from(who.certPem) }, peer, fn, args, transient, this.clockMs);
    const ctx = contract.createContext() as unknown as {
      setChaincodeStub(s: unknown): void;
      setClientIdentity(c: unknown): void;
    };
    ctx.setChaincodeStub(stub);
    ctx.setClientIdentity(new ClientIdentity(stub));
    await contract.beforeTransaction(ctx as never);
    const method = (contract as unknown as Record<string, unknown>)[fnName ?? ''];
    if (typeof method !== 'function' || fnName?.startsWith('_') || ['beforeTransaction', 'afterTransaction', 'unknownTransaction', 'createContext', 'getName'].includes(fnName ?? '')) {
      await contract.unknownTransaction(ctx as never);
      throw new Error(`You've asked to invoke a function that does not exist: ${fnName}`);
    }
    const returned: unknown = await (method as (...a: unknown[]) => Promise<unknown>).call(contract, ctx, ...args);
    await contract.afterTransaction(ctx as never, returned);
    const result = returned === undefined ? '' : typeof returned === 'string' ? returned : JSON.stringify(returned);
    return { result, effects: stub.effects };
  }

  /** Commit-time endorsement checks: key-level policies and implicit-collection owners. */
  private validate(effects: TxEffects, endorsers: string[]): void {
    const keys = new Set([...effects.writes.keys(), ...effects.validationParameters.keys()]);
    for (const key of keys) {
      const policy = this.state.get(key)?.validationParameter;
      if (!policy) continue;
      const required = new KeyEndorsementPolicy(Buffer.from(policy)).listOrgs();
      const missing = required.filter((org) => !endorsers.includes(org));
      if (missing.length > 0) throw new Error(`ENDORSEMENT_POLICY_FAILURE: key ${JSON.stringify(key)} also needs ${missing.join(', ')}`);
    }
    for (const collection of effects.privateWrites.keys()) {
      const implicit = /^_implicit_org_(.+)$/.exec(collection);
      if (implicit?.[1] && !endorsers.includes(implicit[1])) {
        throw new Error(`ENDORSEMENT_POLICY_FAILURE: collection ${collection} needs ${implicit[1]}`);
      }
    }
  }

  private commit(txId: string, effects: TxEffects, result: string): void {
    this.block += 1;
    const version = this.block;
    const timestamp = { seconds: Math.floor(this.clockMs / 1000), nanos: (this.clockMs % 1000) * 1_000_000 };
    for (const [key, value] of effects.writes) {
      const history = this.historyIndex.get(key) ?? [];
      history.push({ txId, value: value ?? new Uint8Array(0), isDelete: value === null, timestamp } as unknown as Iterators.KeyModification);
      this.historyIndex.set(key, history);
      if (value === null) this.state.delete(key);
      else this.state.set(key, { ...this.state.get(key), value, version });
      if (value) this.publicRecords.push({ what: `state ${key}`, bytes: value });
    }
    for (const [key, ep] of effects.validationParameters) {
      const entry = this.state.get(key);
      if (entry) entry.validationParameter = ep;
    }
    for (const [collection, writes] of effects.privateWrites) {
      const rule = this.collection(collection, txId);
      for (const [key, value] of writes) this.commitPrivate(collection, key, value, rule, version);
    }
    if (effects.event) {
      this.publicRecords.push({ what: `event ${effects.event.name}`, bytes: effects.event.payload });
      this.events.push({ txId, name: effects.event.name, payload: JSON.parse(Buffer.from(effects.event.payload).toString()) as unknown });
    }
    // A submitted transaction's response is written into the block.
    this.publicRecords.push({ what: `response of ${txId}`, bytes: Buffer.from(result) });
  }

  private commitPrivate(collection: string, key: string, value: Uint8Array | null | 'purge', rule: CollectionRule, version: number): void {
    const id = `${collection}\u0000${key}`;
    if (value === null || value === 'purge') {
      this.hashed.delete(id);
      for (const store of this.privateStores.values()) store.delete(id);
      return;
    }
    this.hashed.set(id, { hash: sha256(value), version });
    for (const member of rule.members) {
      let store = this.privateStores.get(member);
      if (!store) {
        store = new Map();
        this.privateStores.set(member, store);
      }
      store.set(id, value);
    }
  }
}

function fingerprint(run: { result: string; effects: TxEffects }): string {
  const { writes, validationParameters, privateWrites, event } = run.effects;
  const hex = (v: Uint8Array | null | 'purge') => (v === null ? 'null' : v === 'purge' ? 'purge' : Buffer.from(v).toString('hex'));
  return JSON.stringify({
    result: run.result,
    writes: [...writes].map(([k, v]) => [k, hex(v)]),
    vp: [...validationParameters].map(([k, v]) => [k, hex(v)]),
    pvt: [...privateWrites].map(([c, w]) => [c, [...w].map(([k, v]) => [k, hex(v)])]),
    event: event ? [event.name, hex(event.payload)] : null,
  });
}
