import { Context } from 'fabric-contract-api';
import { txTime, type TxTime } from './clock';
import { ChangeLog } from './events';
import { callerOf, type Caller } from './identity';
import { stampOf, type Stamp } from './stamp';
import { LedgerState } from './state';

/**
 * The transaction context every healthledger contract receives: the caller, typed state, the
 * change log and the transaction time, created lazily once per transaction.
 */
export class HealthContext extends Context {
  private callerCache?: Caller;
  private stateCache?: LedgerState;
  private timeCache?: TxTime;
  readonly changes = new ChangeLog();

  get caller(): Caller {
    this.callerCache ??= callerOf(this);
    return this.callerCache;
  }

  get state(): LedgerState {
    this.stateCache ??= new LedgerState(this.stub);
    return this.stateCache;
  }

  get now(): TxTime {
    this.timeCache ??= txTime(this);
    return this.timeCache;
  }

  get txId(): string {
    return this.stub.getTxID();
  }

  /** The "last changed by" stamp for values written in this transaction. */
  stamp(): Stamp {
    return stampOf(this.caller, this.txId, this.now.iso);
  }

  /** Transient data entry `name` as bytes, or undefined. */
  transient(name: string): Uint8Array | undefined {
    const value = this.stub.getTransient().get(name);
    return value && value.length > 0 ? value : undefined;
  }
}
