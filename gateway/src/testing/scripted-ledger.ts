/**
 * A scripted {@link Ledger} for unit tests of the HTTP layer: it records every call and answers
 * through a handler the test supplies. End-to-end tests use the real devnet instead.
 */
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable, Status } from '@hyperledger/fabric-gateway';
import type { Ledger, LedgerCall, OfflineSigning, QsccFunction, Signable, SubmitOutcome, SystemQuery } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';

export interface RecordedCall {
  /** `deliver`: one block of a Deliver stream, asked as `{ fn: 'Deliver', args: [number] }`. */
  kind: 'evaluate' | 'submit' | 'qscc' | 'system' | 'deliver';
  user: FabricUser;
  call: LedgerCall;
}

export type ScriptedHandler = (recorded: RecordedCall) => unknown;

export class ScriptedLedger implements Ledger {
  readonly channel = 'healthchannel';
  readonly chaincode = 'healthledger';
  readonly calls: RecordedCall[] = [];
  private txCounter = 0;

  constructor(public handler: ScriptedHandler = () => null) {}

  /**
   * Forgets the calls and the transaction count and answers through `handler` from now on, so a
   * file that shares one app (building one compiles every route's schemas) starts each test as
   * on a fresh ledger.
   */
  reset(handler: ScriptedHandler = () => null): void {
    this.calls.length = 0;
    this.txCounter = 0;
    this.handler = handler;
  }

  private async answer(recorded: RecordedCall): Promise<Uint8Array> {
    this.calls.push(recorded);
    const value = await this.handler(recorded);
    if (value instanceof Uint8Array) return value;
    return value === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(value));
  }

  async evaluate(user: FabricUser, call: LedgerCall): Promise<Uint8Array> {
    return this.answer({ kind: 'evaluate', user, call });
  }

  async submit(user: FabricUser, call: LedgerCall): Promise<SubmitOutcome> {
    const result = await this.answer({ kind: 'submit', user, call });
    this.txCounter++;
    return { txId: `tx${this.txCounter}`, blockNumber: BigInt(this.txCounter), result };
  }

  async qscc(user: FabricUser, fn: QsccFunction, arg?: string | Uint8Array, targetOrg?: string): Promise<Uint8Array> {
    // Byte arguments (a block hash) are recorded as hex; a target organisation as `endorsingOrgs`.
    const args = arg === undefined ? [] : [typeof arg === 'string' ? arg : Buffer.from(arg).toString('hex')];
    return this.answer({ kind: 'qscc', user, call: { fn, args, ...(targetOrg ? { endorsingOrgs: [targetOrg] } : {}) } });
  }

  async system(user: FabricUser, query: SystemQuery): Promise<Uint8Array> {
    // Recorded as `<chaincode>/<fn>` with the queried chaincode's name as the argument.
    const args = query.chaincode === '_lifecycle' ? [query.chaincodeName] : [];
    return this.answer({ kind: 'system', user, call: { fn: `${query.chaincode}/${query.fn}`, args } });
  }

  /**
   * A Deliver stream: block n is the handler's answer to `{ kind: 'deliver', fn: 'Deliver',
   * args: [n] }`, as bytes; the stream ends (as a peer's would be closed) when the handler answers
   * nothing or throws.
   */
  blocks(user: FabricUser, startBlock: bigint): Promise<CloseableAsyncIterable<Uint8Array>> {
    let closed = false;
    const answer = (recorded: RecordedCall) => this.answer(recorded);
    async function* iterate(): AsyncGenerator<Uint8Array> {
      for (let n = startBlock; !closed; n++) {
        const bytes = await answer({ kind: 'deliver', user, call: { fn: 'Deliver', args: [n.toString()] } }).catch(() => new Uint8Array());
        if (bytes.length === 0) return;
        yield bytes;
      }
    }
    const close = () => {
      closed = true;
    };
    return Promise.resolve({ [Symbol.asyncIterator]: iterate, close, [Symbol.dispose]: close });
  }

  /** Chaincode events "committed" so far, in ledger order. */
  readonly events: ChaincodeEvent[] = [];
  private readonly waiting = new Set<() => void>();

  /** Commits a chaincode event; open streams receive it. */
  emit(blockNumber: bigint, transactionId: string, payload: unknown, eventName = 'healthledger.changes'): void {
    this.events.push({ blockNumber, transactionId, chaincodeName: this.chaincode, eventName, payload: Buffer.from(JSON.stringify(payload)) });
    this.waiting.forEach((wake) => wake());
  }

  /** Fabric's resume rule: after the checkpointed transaction of the checkpointed block, else from startBlock. */
  chaincodeEvents(_user: FabricUser, checkpoint: Checkpoint, startBlock: bigint): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    const block = checkpoint.getBlockNumber();
    const txId = checkpoint.getTransactionId();
    let index = 0;
    if (block !== undefined) {
      while (index < this.events.length && this.events[index]!.blockNumber < block) index++;
      if (txId === undefined) while (index < this.events.length && this.events[index]!.blockNumber === block) index++;
      else {
        const at = this.events.findIndex((e, i) => i >= index && e.transactionId === txId);
        if (at >= 0) index = at + 1;
      }
    } else {
      while (index < this.events.length && this.events[index]!.blockNumber < startBlock) index++;
    }
    let closed = false;
    let wake: (() => void) | undefined;
    const waiting = this.waiting;
    const events = this.events;
    async function* iterate(): AsyncGenerator<ChaincodeEvent> {
      while (!closed) {
        const next = events[index];
        if (next) {
          index++;
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          waiting.add(resolve);
        });
        if (wake) waiting.delete(wake);
      }
      throw new Error('1 CANCELLED: Cancelled on client');
    }
    const iterator = iterate();
    const close = () => {
      closed = true;
      wake?.();
    };
    return Promise.resolve({ [Symbol.asyncIterator]: () => iterator, close, [Symbol.dispose]: close });
  }

  readonly offline: OfflineSigning = {
    prepare: (): Signable => {
      throw new Error('ScriptedLedger has no offline signing');
    },
    endorse: () => Promise.reject(new Error('ScriptedLedger has no offline signing')),
    submit: () => Promise.reject(new Error('ScriptedLedger has no offline signing')),
    status: (): Promise<Status> => Promise.reject(new Error('ScriptedLedger has no offline signing')),
  };

  close(): void {}
}
