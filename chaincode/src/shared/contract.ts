import { fail } from '@healthledger/contract-api';
import { Contract } from 'fabric-contract-api';
import { HealthContext } from './context';
import { checkCallerGate, specOf } from './transaction';

/**
 * Base of every healthledger contract: supplies {@link HealthContext}, checks the transaction
 * catalogue's caller gate, emits the transaction's one change event, and answers unknown
 * functions with a catalogue error.
 */
export abstract class HealthContract extends Contract {
  override createContext(): HealthContext {
    return new HealthContext();
  }

  override async beforeTransaction(ctx: HealthContext): Promise<void> {
    const spec = specOf(ctx, this.getName());
    if (spec) checkCallerGate(ctx, spec);
    return Promise.resolve();
  }

  override async afterTransaction(ctx: HealthContext, _result: unknown): Promise<void> {
    ctx.changes.flush(ctx.stub);
    return Promise.resolve();
  }

  override async unknownTransaction(ctx: HealthContext): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    fail('UNKNOWN_FUNCTION', fcn);
    return Promise.resolve();
  }
}
