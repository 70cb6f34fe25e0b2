/**
 * The `export` operation: every page of a paged list (a patient's accounting of disclosures, an
 * asset's ledger history, a holder's packs), read one page after another after the 202, the
 * items gathered into one result. The result can be PHI (disclosures name patients and
 * purposes), so the kind is not durable: the operation, its input and its result live in this
 * gateway's memory only, readable by its owner, and are gone after a restart.
 */
import { HttpProblem } from '../errors/problem';
import type { Ledger } from '../fabric/ledger';
import type { OperationKind } from './runner';

/** Items one export gathers at most; a longer list ends `failed` with EXPORT_TOO_LARGE. */
export const MAX_EXPORT_ITEMS = 100_000;
/** Items per page read (the largest page the lists serve). */
const PAGE_SIZE = 100;

/** What an export is started with: the list's evaluate transaction and its request (without paging). */
export interface ExportInput {
  fn: string;
  input: Record<string, unknown>;
}

/** The `export` kind: pages of `input.fn` until there is no bookmark. */
export function exportKind(ledger: Ledger): OperationKind<ExportInput> {
  return {
    unit: 'items',
    durable: false,
    run: async (op) => {
      const { pageSize: _pageSize, bookmark: _bookmark, ...request } = op.input.input;
      const items: unknown[] = [];
      let bookmark: string | undefined;
      do {
        if (op.stopped()) return { complete: false };
        const bytes = await ledger.evaluate(op.user, { fn: op.input.fn, args: [JSON.stringify({ ...request, pageSize: PAGE_SIZE, ...(bookmark ? { bookmark } : {}) })] });
        const page = JSON.parse(Buffer.from(bytes).toString('utf8') || 'null') as { items?: unknown[]; bookmark?: string } | null;
        items.push(...(page?.items ?? []));
        bookmark = page?.bookmark || undefined;
        if (items.length > MAX_EXPORT_ITEMS) throw new HttpProblem('EXPORT_TOO_LARGE', `More than ${MAX_EXPORT_ITEMS} items`);
        op.progress(items.length, items.length + (bookmark ? PAGE_SIZE : 0));
      } while (bookmark);
      return { complete: true, result: { items } };
    },
  };
}
