import { Returns, Transaction } from 'fabric-contract-api';
import { transactionSpec, type TransactionSpec } from '@healthledger/contract-api';
import { requireOrgKind, requireRole } from './access';
import type { HealthContext } from './context';

/**
 * Declares a contract method as the catalogue's transaction `spec`: Fabric's contract metadata
 * (submit or evaluate, a string result) comes from the catalogue, so the metadata a peer serves
 * and the routes the gateway derives cannot disagree. The method must bear the spec's name.
 */
export function Tx(spec: TransactionSpec): MethodDecorator {
  const transaction = Transaction(spec.mode === 'submit');
  const returns = Returns('string');
  return (target, key) => {
    if (key !== spec.name) throw new Error(`${String(key)} is declared as ${spec.qualifiedName}`);
    returns(target, key);
    transaction(target, key);
  };
}

/** The catalogue entry of the transaction `ctx` runs in contract `contract`, if the catalogue has it. */
export function specOf(ctx: HealthContext, contract: string): TransactionSpec | undefined {
  const { fcn } = ctx.stub.getFunctionAndParameters();
  const name = fcn.includes(':') ? fcn.slice(fcn.indexOf(':') + 1) : fcn;
  return transactionSpec(`${contract}:${name}`);
}

/**
 * The catalogue's caller gate (roles, then organisation kinds), checked before the transaction
 * runs. Transactions without a gate decide on the data alone and are not touched here, so the
 * caller's identity is read only when a gate needs it.
 */
export function checkCallerGate(ctx: HealthContext, spec: TransactionSpec): void {
  const { roles, orgKinds } = spec.callers;
  if (roles) requireRole(ctx.caller, ...roles);
  if (orgKinds) requireOrgKind(ctx.caller, ...orgKinds);
}
