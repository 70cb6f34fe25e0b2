import { Contract } from 'fabric-contract-api';
import { HealthContext } from './context';
import { fail } from './errors';

/**
 * Base of every healthledger contract: supplies {@link HealthContext}, emits the transaction's
 * one change event, and answers unknown functions with a catalogue error.
 */
export abstract class HealthContract extends Contract {
  override createContext(): HealthContext {
    return new HealthContext();
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
