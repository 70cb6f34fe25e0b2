import { InMemoryChannel, type TestIdentity } from '../testing';
import { TraceContract } from './contract';

/**
 * The custody indexes with batch entries (pack-index.ts): a commissioning transaction indexes its
 * packs with one entry per index; a pack that changes gets entries of its own. Holdings, recall
 * holders and recall must list every pack exactly once, whichever entry indexes it.
 */

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Amoxicillin 500 mg capsules', strength: '500 mg', dosageForm: 'capsule', packSize: 21, storage: { minCelsius: 2, maxCelsius: 25 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const ts = { attested: true };
const pack = (serial: string) => ({ gtin: GTIN, serial });

async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const call = async (who: TestIdentity, fn: string, request: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {}));
  const query = async (who: TestIdentity, fn: string, request: unknown) => JSON.parse(await ledger.evaluate(who, `trace:${fn}`, [JSON.stringify(request)]));
  await call(mfr, 'registerProduct', PRODUCT);
  // Two batches of lot L1 (a range and a list) and one of lot L2.
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'S', start: 1, count: 5 } });
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['T2', 'T1'] });
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L2', expiry: '2028-01-31', range: { prefix: 'U', start: 1, count: 2 } });
  /** Every holding of `who`'s organisation (optionally of one lot), page by page. */
  const allHoldings = async (who: TestIdentity, pageSize: number, lot?: string) => {
    const serials: string[] = [];
    let bookmark: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await query(who, 'listHoldings', { pageSize, ...(lot ? { gtin: GTIN, lot } : {}), ...(bookmark ? { bookmark } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(pageSize);
      serials.push(...page.items.map((h: { serial: string }) => h.serial));
      if (!page.bookmark) return serials;
      bookmark = page.bookmark;
    }
    throw new Error('holdings did not end');
  };
  const holders = async (lot = 'L1') => (await query(mfr, 'recallHolders', { gtin: GTIN, lot })).holders;
  const shipTo = async (shipmentId: string, serials: string[], from = mfr, to = D, receiver = dist) => {
    await call(from, 'ship', { shipmentId, to, packs: serials.map(pack), transactionDate: '2026-02-27', transactionStatement: ts });
    await call(receiver, 'receive', { shipmentId, packs: serials.map(pack) }, [M, D]);
  };
  return { ledger, mfr, dist, call, query, allHoldings, holders, shipTo };
}

/** The custody index keys in state, by kind (batch entries start their last attribute with U+0001). */
function indexKeys(ledger: InMemoryChannel, index: 'pack~lot' | 'pack~owner'): { batches: number; packs: number } {
  const keys = ledger.range(`\u0000${index}\u0000`, `\u0000${index}\u0000\u{10ffff}`).map((kv) => kv.key);
  const batches = keys.filter((key) => key.split('\u0000').at(-2)?.startsWith('\u0001')).length;
  return { batches, packs: keys.length - batches };
}

describe('custody indexes with batch entries', () => {
  it('indexes a commissioning transaction with one entry per index, whatever its size', async () => {
    const { ledger } = await setup();
    expect(indexKeys(ledger, 'pack~lot')).toEqual({ batches: 3, packs: 0 });
    expect(indexKeys(ledger, 'pack~owner')).toEqual({ batches: 3, packs: 0 });
    // Each pack keeps its own key and its owner's endorsement policy.
    expect(ledger.validationParameter(`\u0000pack\u0000${GTIN}\u0000S3\u0000`)).toBeDefined();
  });

  it('pages holdings through batches, a page ending inside a batch, each pack once', async () => {
    const { mfr, allHoldings } = await setup();
    const all = ['S1', 'S2', 'S3', 'S4', 'S5', 'T1', 'T2', 'U1', 'U2'];
    for (const pageSize of [1, 2, 3, 4, 20]) expect((await allHoldings(mfr, pageSize)).sort()).toEqual(all);
    expect((await allHoldings(mfr, 2, 'L2')).sort()).toEqual(['U1', 'U2']);
  });

  it('moves a shipped pack out of its batch: listed once, under its new owner, and back', async () => {
    const { mfr, dist, allHoldings, holders, shipTo, ledger } = await setup();
    await shipTo('SHP-1', ['S2', 'T1']);
    expect((await allHoldings(mfr, 2)).sort()).toEqual(['S1', 'S3', 'S4', 'S5', 'T2', 'U1', 'U2']);
    expect((await allHoldings(dist, 1)).sort()).toEqual(['S2', 'T1']);
    expect(await holders()).toEqual([
      { owner: D, packs: 2, byStatus: { active: 2 } },
      { owner: M, packs: 5, byStatus: { active: 5 } },
    ]);
    // Moved packs have entries of their own; the batch entries are unchanged.
    expect(indexKeys(ledger, 'pack~lot')).toEqual({ batches: 3, packs: 2 });
    // Back to the manufacturer: indexed by its own entry, not by the batch as well.
    await shipTo('SHP-2', ['S2'], dist, M, mfr);
    expect((await allHoldings(mfr, 3)).sort()).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'T2', 'U1', 'U2']);
    expect(await holders()).toEqual([
      { owner: D, packs: 1, byStatus: { active: 1 } },
      { owner: M, packs: 6, byStatus: { active: 6 } },
    ]);
  });

  it('keeps a pack that changed without changing owner listed once', async () => {
    const { mfr, call, allHoldings, holders } = await setup();
    expect(await call(mfr, 'quarantine', { packs: [pack('S4')], reason: 'suspect_counterfeit' })).toEqual({ quarantined: 1 });
    expect(await call(mfr, 'recordObservation', { packs: [pack('T2')], bizStep: 'inspecting', action: 'OBSERVE' })).toEqual({ observed: 1 });
    expect((await allHoldings(mfr, 4)).sort()).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'T1', 'T2', 'U1', 'U2']);
    expect(await holders()).toEqual([{ owner: M, packs: 7, byStatus: { active: 7 } }]);
  });

  it('recalls a lot across batches and moved packs, in parts, each pack flagged once', async () => {
    const { mfr, call, query, holders, shipTo } = await setup();
    await shipTo('SHP-1', ['S1', 'T2']);
    const first = await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination', maxPacks: 4 }, [M, D]);
    expect(first).toMatchObject({ flagged: 4, remaining: 3 });
    const second = await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' }, [M, D]);
    expect(second).toMatchObject({ flagged: 3, remaining: 0 });
    for (const serial of ['S1', 'S2', 'S3', 'S4', 'S5', 'T1', 'T2']) expect((await query(mfr, 'getPack', pack(serial))).recalled).toBe(true);
    expect((await query(mfr, 'getPack', pack('U1'))).recalled).toBeUndefined();
    expect(await holders()).toEqual([
      { owner: D, packs: 2, byStatus: { active: 2 } },
      { owner: M, packs: 5, byStatus: { active: 5 } },
    ]);
  });

  it('refuses a range overlapping a committed batch, all or nothing, and indexes nothing of it', async () => {
    const { mfr, call, allHoldings, ledger } = await setup();
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'S', start: 4, count: 5 } })).rejects.toThrow(`PACK_EXISTS: A pack with this SGTIN already exists: ${GTIN}/S4`);
    // A range whose span covers the list batch's serials (T1, T2 lie between T0 and T3, width 1).
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L3', expiry: '2028-01-31', range: { prefix: 'T', start: 0, count: 4 } })).rejects.toThrow(`${GTIN}/T1`);
    expect(indexKeys(ledger, 'pack~owner')).toEqual({ batches: 3, packs: 0 });
    expect(await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'S', start: 6, count: 2 } })).toMatchObject({ count: 2 });
    expect((await allHoldings(mfr, 20, 'L1')).sort()).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'T1', 'T2']);
  });
});
