import { type HealthContext, type Page } from '../shared';
import { fail, type HoldingsRequest } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import type { PackStatus } from './model';
import { holdingsPage } from './indexed-packs';

/** One pack an organisation owns. */
export interface Holding {
  gtin: string;
  lot: string;
  serial: string;
  status: PackStatus;
  parent?: string;
}

/**
 * The packs an organisation owns, a page at a time, from the `pack~owner` index (`indexed-packs.ts`; optionally one
 * product, or one lot of it). Evaluate; caller: any identity of the owning organisation, or of a
 * regulator organisation for any owner.
 */
export async function listHoldings(ctx: HealthContext, request: HoldingsRequest): Promise<Page<Holding>> {
  const owner = request.owner ?? ctx.caller.mspId;
  if (owner !== ctx.caller.mspId && ctx.caller.orgKind !== 'regulator') fail('ORG_FORBIDDEN', `${ctx.caller.mspId} may list only its own holdings`);
  if (request.lot !== undefined && request.gtin === undefined) fail('VALIDATION_FAILED', 'request/lot: needs gtin');
  if (request.gtin !== undefined) requireGtin(request.gtin, 'request/gtin');
  const prefix = [owner, ...(request.gtin ? [request.gtin] : []), ...(request.lot !== undefined ? [request.lot] : [])];
  const page = await holdingsPage(ctx, prefix, request.pageSize, request.bookmark);
  const items = page.items.map(({ gtin, lot, serial, pack }): Holding => ({ gtin, lot, serial, status: pack.status, ...(pack.parent ? { parent: pack.parent } : {}) }));
  return { items, bookmark: page.bookmark };
}
