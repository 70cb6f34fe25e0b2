/**
 * The FHIR routes' way to the ledger: the same catalogue transactions, the same signing identity
 * and the same endorsing organisations as the compact API's routes (whose endorser choices are
 * reused from their route tables), so the FHIR interface adds no trust rule of its own — the
 * chaincode decides who may do what, and its refusals come back as OperationOutcomes.
 */
import type { TransactionSpec } from '@healthledger/contract-api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signingUserOf } from '../auth/principal';
import type { RouteContext } from '../routes/context';
import { parseResult, type EndorserChoice } from '../routes/contracts/operation';

export interface InvokeOptions {
  /** Private inputs, sent as transient data. */
  transient?: Record<string, string>;
  /** Which organisations endorse (or evaluate), as the compact route chooses them. */
  endorsers?: EndorserChoice;
  /** Where a submit's transaction id and block go (`x-transaction-id`, `x-block-number`). */
  reply?: FastifyReply;
}

/** Evaluates or submits `tx` (as its catalogue entry says) as the caller; returns the parsed result. */
export async function invoke(ctx: RouteContext, request: FastifyRequest, tx: TransactionSpec, input: Record<string, unknown>, options: InvokeOptions = {}): Promise<unknown> {
  const user = signingUserOf(request);
  const endorsingOrgs = options.endorsers ? await options.endorsers(input, user, ctx.ledger) : undefined;
  const call = { fn: tx.qualifiedName, args: [JSON.stringify(input)], transient: options.transient, endorsingOrgs };
  if (tx.mode === 'evaluate') return parseResult(await ctx.ledger.evaluate(user, call));
  const outcome = await ctx.ledger.submit(user, call);
  options.reply?.header('x-transaction-id', outcome.txId).header('x-block-number', outcome.blockNumber.toString());
  return parseResult(outcome.result);
}

/** A page of a list transaction: its items and the chaincode's bookmark ('' or absent at the end). */
export interface LedgerPage<T> {
  items: T[];
  bookmark?: string;
}
