import type { Caller } from './identity';

/**
 * Who changed a state value last, and when. Fabric's key history records the transaction but not
 * the signer, so auditable values carry this stamp. The actor is pseudonymous (see `Caller.actor`).
 */
export interface Stamp {
  org: string;
  role: string;
  actor: string;
  txId: string;
  at: string;
}

export function stampOf(caller: Caller, txId: string, at: string): Stamp {
  return { org: caller.mspId, role: caller.role, actor: caller.actor, txId, at };
}
