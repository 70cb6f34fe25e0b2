import { type HealthContext, type Page } from '../shared';
import { DEFAULT_PAGE_SIZE } from '@healthledger/contract-api';
import type { Pack } from './model';
import { BATCH_MARK, isBatchEntry, isCommissionedVersion, membersOf, type BatchEntry } from './pack-index';
import { readPack } from './packs';

/** Reading the custody indexes (`pack-index.ts`): each entry expanded to the packs it still lists. */

/** One pack an index lists, with its current version. */
export interface IndexedPack {
  owner: string;
  gtin: string;
  lot: string;
  serial: string;
  pack: Pack;
}

/** Most packs a holdings page reads: a page over batches whose packs all moved on stays bounded. */
export const MAX_PACK_READS_PER_PAGE = 1000;

/** Every pack of a lot the `pack~lot` index lists, by owner (committed state). */
export async function* packsOfLot(ctx: HealthContext, gtin: string, lot: string): AsyncGenerator<IndexedPack> {
  for await (const entry of ctx.state.scan<BatchEntry>('pack~lot', gtin, lot)) {
    const [, , owner = '', last = ''] = entry.attributes;
    for (const serial of membersOf(last, entry.value)) {
      const pack = await indexedPack(ctx, gtin, serial, last, entry.value);
      if (pack) yield { owner, gtin, lot, serial, pack };
    }
  }
}

/**
 * One page of the packs `owner` holds under a `pack~owner` prefix (owner[, gtin[, lot]]). A page
 * may end inside a batch entry: the bookmark then names the entry and the position in it.
 * Evaluate only (paginated queries).
 */
export async function holdingsPage(ctx: HealthContext, prefix: string[], pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<IndexedPack>> {
  const items: IndexedPack[] = [];
  let { start, skip } = parseBookmark(bookmark);
  let reads = 0;
  for (;;) {
    const page = await ctx.state.page<BatchEntry>('pack~owner', prefix, pageSize - items.length, start);
    for (const entry of page.items) {
      const [owner = '', gtin = '', lot = '', last = ''] = entry.attributes;
      const serials = membersOf(last, entry.value);
      for (let i = skip; i < serials.length; i++) {
        if (items.length === pageSize || reads === MAX_PACK_READS_PER_PAGE) return { items, bookmark: bookmarkAt(entry.key, i) };
        const serial = serials[i] ?? '';
        reads += 1;
        const pack = await indexedPack(ctx, gtin, serial, last, entry.value);
        if (pack) items.push({ owner, gtin, lot, serial, pack });
      }
      skip = 0;
    }
    if (!page.bookmark || page.items.length === 0 || items.length === pageSize) return { items, bookmark: page.bookmark };
    start = page.bookmark;
  }
}

/** The pack an entry lists, if the entry still indexes it. */
async function indexedPack(ctx: HealthContext, gtin: string, serial: string, last: string, value: BatchEntry | undefined): Promise<Pack | undefined> {
  const pack = await readPack(ctx, gtin, serial);
  if (!pack || !isBatchEntry(last, value)) return pack;
  return isCommissionedVersion(pack) && pack.updatedBy.txId === value.txId ? pack : undefined;
}

/**
 * A bookmark inside a batch entry: U+0001, the position, U+0001, the entry's key. Fabric's own
 * bookmarks are composite keys (they start with U+0000), so the two cannot be confused.
 */
function bookmarkAt(key: string, position: number): string {
  return `${BATCH_MARK}${position}${BATCH_MARK}${key}`;
}

function parseBookmark(bookmark: string): { start: string; skip: number } {
  const match = /^\u0001(\d{1,7})\u0001([^]*)$/.exec(bookmark);
  return match ? { start: match[2] ?? '', skip: Number(match[1]) } : { start: bookmark, skip: 0 };
}
