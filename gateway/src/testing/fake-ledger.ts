/**
 * A scripted {@link Ledger} for unit tests of the HTTP layer: it records every call and answers
 * through a handler the test supplies. End-to-end tests use the real devnet instead.
 */
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable, Status } from '@hyperledger/fabric-gateway';
import type { Ledger, LedgerCall, OfflineSigning, QsccFunction, Signable, SubmitOutcome } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';

export interface RecordedCall {
  kind: 'evaluate' | 'submit' | 'qscc';
  user: FabricUser;
  call: LedgerCall;
}

export type FakeHandler = (recorded: RecordedCall) => unknown;

export class FakeLedger implements Ledger {
  readonly channel = 'healthchannel';
  readonly chaincode = 'healthledger';
  readonly calls: RecordedCall[] = [];
  private txCounter = 0;

  constructor(public handler: FakeHandler = () => null) {}

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

  async qscc(user: FabricUser, fn: QsccFunction, arg?: string): Promise<Uint8Array> {
    return this.answer({ kind: 'qscc', user, call: { fn, args: arg === undefined ? [] : [arg] } });
  }

  chaincodeEvents(_user: FabricUser, _checkpoint: Checkpoint, _startBlock: bigint): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    return Promise.reject(new Error('FakeLedger has no event stream'));
  }

  readonly offline: OfflineSigning = {
    prepare: (): Signable => {
      throw new Error('FakeLedger has no offline signing');
    },
    endorse: () => Promise.reject(new Error('FakeLedger has no offline signing')),
    submit: () => Promise.reject(new Error('FakeLedger has no offline signing')),
    status: (): Promise<Status> => Promise.reject(new Error('FakeLedger has no offline signing')),
  };

  close(): void {}
}
