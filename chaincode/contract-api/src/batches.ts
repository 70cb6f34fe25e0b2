/**
 * Bulk commissioning, planned: pure functions with no chaincode runtime, so the gateway can split
 * a request of up to 10,000 serials into transactions without loading fabric-shim.
 */
import { fail } from './errors';
import { validateValue } from './validation';
import { isValidSerial } from './gs1';
import { CommissionBulkRequest, MAX_COMMISSION_PER_TX, type CommissionRequest, type SerialRange } from './trace';

/** One transaction of a bulk commissioning, with the progress it represents. */
export interface CommissionBatch {
  request: CommissionRequest;
  /** Zero-based index of the batch's first serial within the bulk request. */
  offset: number;
  count: number;
  /** Serials committed once this batch and all before it are committed. */
  done: number;
  total: number;
}

/**
 * Splits a bulk commissioning request (up to 10,000 serials, a list or a generated range) into
 * transaction-sized requests of at most `maxPerTx` serials, in order. Ranges stay ranges, so a
 * batch is a few bytes whatever its size. Pure: the gateway uses it to submit the batches and
 * report progress (`done` / `total`) after each commit.
 */
export function planCommissionBatches(bulk: CommissionBulkRequest, maxPerTx = MAX_COMMISSION_PER_TX): CommissionBatch[] {
  validateValue(CommissionBulkRequest, bulk);
  if (!Number.isInteger(maxPerTx) || maxPerTx < 1 || maxPerTx > MAX_COMMISSION_PER_TX) {
    fail('VALIDATION_FAILED', `maxPerTx: must be 1–${MAX_COMMISSION_PER_TX}`);
  }
  const all = serialsOf(bulk);
  const { serials: _serials, range, ...common } = bulk;
  const batches: CommissionBatch[] = [];
  for (let offset = 0; offset < all.length; offset += maxPerTx) {
    const count = Math.min(maxPerTx, all.length - offset);
    const request: CommissionRequest = range
      ? { ...common, range: { ...range, start: range.start + offset, count, width: rangeWidth(range) } }
      : { ...common, serials: all.slice(offset, offset + count) };
    batches.push({ request, offset, count, done: offset + count, total: all.length });
  }
  return batches;
}

/** The serials a request names: its list, or its range expanded. Rejects duplicates and bad serials. */
export function serialsOf(request: Pick<CommissionBulkRequest, 'serials' | 'range'>): string[] {
  const { serials, range } = request;
  if ((serials === undefined) === (range === undefined)) fail('VALIDATION_FAILED', 'request: give exactly one of serials, range');
  const list = serials ?? expandRange(range as SerialRange);
  const seen = new Set<string>();
  for (const serial of list) {
    if (seen.has(serial)) fail('VALIDATION_FAILED', `request/serials: duplicate serial ${serial}`);
    seen.add(serial);
  }
  return list;
}

function rangeWidth(range: SerialRange): number {
  return range.width ?? String(range.start + range.count - 1).length;
}

function expandRange(range: SerialRange): string[] {
  const width = rangeWidth(range);
  const prefix = range.prefix ?? '';
  const out: string[] = [];
  for (let n = range.start; n < range.start + range.count; n++) {
    const serial = prefix + String(n).padStart(width, '0');
    if (!isValidSerial(serial)) fail('VALIDATION_FAILED', `request/range: serial ${serial} exceeds 20 characters`);
    out.push(serial);
  }
  return out;
}
