import type { Stamp } from '@healthledger/contract-api';
import type { Caller } from './identity';

/**
 * Who changed a state value last, and when (the contract API's `Stamp`). Fabric's key history
 * records the transaction but not the signer, so auditable values carry this stamp. The actor is
 * pseudonymous (see `Caller.actor`).
 */
export type { Stamp };

export function stampOf(caller: Caller, txId: string, at: string): Stamp {
  return { org: caller.mspId, role: caller.role, actor: caller.actor, txId, at };
}
