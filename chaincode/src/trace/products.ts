import { requireOrgKind, requireRole, type HealthContext } from '../shared';
import { fail, type RegisterProductRequest } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import type { Product } from './model';

/** The world-state key of a product: `product` / gtin14. */
export function productKey(ctx: HealthContext, gtin: string): string {
  return ctx.state.key('product', gtin);
}

/** The product, or `PRODUCT_NOT_FOUND`. */
export async function requireProduct(ctx: HealthContext, gtin: string): Promise<Product> {
  return (await ctx.state.get<Product>(productKey(ctx, gtin))) ?? fail('PRODUCT_NOT_FOUND', gtin);
}

/**
 * Registers product master data. Caller: role manufacturer in a manufacturer organisation, which
 * becomes the product's manufacturer; the product key is endorsed by that organisation only.
 */
export async function registerProduct(ctx: HealthContext, request: RegisterProductRequest): Promise<Product> {
  requireRole(ctx.caller, 'manufacturer');
  requireOrgKind(ctx.caller, 'manufacturer');
  requireGtin(request.gtin, 'request/gtin');
  if (request.ndc && !ndcMatchesGtin(request.ndc, request.gtin)) fail('VALIDATION_FAILED', 'request/ndc: does not match the NDC inside the GTIN');
  if (request.storage.minCelsius > request.storage.maxCelsius) fail('VALIDATION_FAILED', 'request/storage: minCelsius exceeds maxCelsius');
  const key = productKey(ctx, request.gtin);
  if (await ctx.state.exists(key)) fail('PRODUCT_EXISTS', request.gtin);
  const product: Product = { ...request, manufacturer: ctx.caller.mspId, updatedBy: ctx.stamp() };
  await ctx.state.put(key, product);
  await ctx.state.setEndorsers(key, [ctx.caller.mspId]);
  ctx.changes.add({ type: 'product', id: request.gtin, action: 'registered' });
  return product;
}

/**
 * A US drug GTIN embeds its 10-digit NDC after the `03` prefix (indicator, `03`, NDC, check
 * digit). For such GTINs the declared NDC must be that one; other GTINs are not checked.
 */
export function ndcMatchesGtin(ndc: string, gtin: string): boolean {
  if (gtin.slice(1, 3) !== '03') return true;
  return ndc.replace(/-/g, '') === gtin.slice(3, 13);
}
