import { InMemoryChannel, type TestIdentity } from '../testing';
import { planCommissionBatches, serialsOf } from '@healthledger/contract-api';
import { TraceContract } from './contract';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Amoxicillin 500 mg capsules', strength: '500 mg', dosageForm: 'capsule', packSize: 21, storage: { minCelsius: 2, maxCelsius: 25 } };

async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user('ManufacturerMSP', 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user('DistributorMSP', 'distributor1', { role: 'distributor' });
  const call = async (who: TestIdentity, fn: string, request: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {}));
  const query = async (who: TestIdentity, fn: string, request: unknown) => JSON.parse(await ledger.evaluate(who, `trace:${fn}`, [JSON.stringify(request)]));
  return { ledger, mfr, dist, call, query };
}

describe('planCommissionBatches', () => {
  it('splits a 10,000-serial range into ranges of at most maxPerTx with progress', () => {
    const batches = planCommissionBatches({ gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'S', start: 0, count: 10_000 } }, 2000);
    expect(batches).toHaveLength(5);
    expect(batches.map((b) => [b.offset, b.count, b.done, b.total])).toEqual([
      [0, 2000, 2000, 10_000],
      [2000, 2000, 4000, 10_000],
      [4000, 2000, 6000, 10_000],
      [6000, 2000, 8000, 10_000],
      [8000, 2000, 10_000, 10_000],
    ]);
    // The width is fixed for the whole range, so batch serials equal the unsplit serials.
    expect(batches.flatMap((b) => serialsOf(b.request))).toEqual(serialsOf({ range: { prefix: 'S', start: 0, count: 10_000 } }));
    expect(batches[4]?.request.range).toEqual({ prefix: 'S', start: 8000, count: 2000, width: 4 });
  });
  it('splits a list with a remainder batch', () => {
    const serials = Array.from({ length: 2501 }, (_, i) => `X${i}`);
    const batches = planCommissionBatches({ gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials }, 1000);
    expect(batches.map((b) => b.count)).toEqual([1000, 1000, 501]);
    expect(batches[2]?.request.serials?.[0]).toBe('X2000');
  });
  it('rejects duplicates, both or neither of serials/range, and a bad batch size', () => {
    const base = { gtin: GTIN, lot: 'L1', expiry: '2028-01-31' };
    expect(() => planCommissionBatches({ ...base, serials: ['A', 'B', 'A'] })).toThrow('VALIDATION_FAILED: The request is invalid: request/serials: duplicate serial A');
    expect(() => planCommissionBatches({ ...base, serials: ['A'], range: { start: 1, count: 1 } })).toThrow('exactly one of serials, range');
    expect(() => planCommissionBatches(base)).toThrow('exactly one of serials, range');
    expect(() => planCommissionBatches({ ...base, serials: ['A'] }, 2001)).toThrow('maxPerTx');
    expect(() => planCommissionBatches({ ...base, range: { start: 0, count: 10_001 } })).toThrow('VALIDATION_FAILED');
    expect(() => planCommissionBatches({ ...base, range: { prefix: 'ABCDEFGHIJKLMNOPQRS', start: 0, count: 100 } })).toThrow('exceeds 20 characters');
  });
});

describe('products and commissioning', () => {
  it('registers a product (manufacturer only) and refuses a duplicate or a bad GTIN', async () => {
    const { mfr, dist, call, query, ledger } = await setup();
    const product = await call(mfr, 'registerProduct', PRODUCT);
    expect(product).toMatchObject({ gtin: GTIN, manufacturer: 'ManufacturerMSP', updatedBy: { org: 'ManufacturerMSP', role: 'manufacturer' } });
    expect(await query(dist, 'getProduct', { gtin: GTIN })).toMatchObject({ name: PRODUCT.name });
    await expect(call(mfr, 'registerProduct', PRODUCT)).rejects.toThrow('PRODUCT_EXISTS');
    await expect(call(mfr, 'registerProduct', { ...PRODUCT, gtin: '09506000134353' })).rejects.toThrow('VALIDATION_FAILED: The request is invalid: request/gtin: GTIN check digit is wrong');
    await expect(call(mfr, 'registerProduct', { ...PRODUCT, gtin: '00012345678905', storage: { minCelsius: 9, maxCelsius: 2 } })).rejects.toThrow('minCelsius exceeds maxCelsius');
    await expect(call(mfr, 'registerProduct', { ...PRODUCT, extra: 1 })).rejects.toThrow('VALIDATION_FAILED');
    // A US GTIN embeds its NDC (0 + 03 + NDC-10 + check digit): the declared NDC must agree.
    const usGtin = '00312345678906';
    await expect(call(mfr, 'registerProduct', { ...PRODUCT, gtin: usGtin, ndc: '12345-678-91' })).rejects.toThrow('request/ndc: does not match');
    expect(await call(mfr, 'registerProduct', { ...PRODUCT, gtin: usGtin, ndc: '12345-678-90' })).toMatchObject({ ndc: '12345-678-90' });
    await expect(call(dist, 'registerProduct', { ...PRODUCT, gtin: '00012345678905' })).rejects.toThrow('ROLE_FORBIDDEN');
    const fakeMfr = await ledger.user('DistributorMSP', 'rogue', { role: 'manufacturer' });
    await expect(call(fakeMfr, 'registerProduct', { ...PRODUCT, gtin: '00012345678905' })).rejects.toThrow('ORG_FORBIDDEN');
    await expect(query(dist, 'getProduct', { gtin: '00012345678905' })).rejects.toThrow('PRODUCT_NOT_FOUND');
  });

  it('commissions serials owned by the manufacturer, protected by its endorsement, with indexes and an event', async () => {
    const { ledger, mfr, call, query } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    const out = await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['A1', 'A2'], readPoint: 'urn:epc:id:sgln:0614141.00001.0' });
    expect(out).toEqual({ gtin: GTIN, lot: 'L1', count: 2 });
    const pack = await query(mfr, 'getPack', { gtin: GTIN, serial: 'A1' });
    expect(pack).toMatchObject({ owner: 'ManufacturerMSP', manufacturer: 'ManufacturerMSP', status: 'active', lot: 'L1', expiry: '2028-01-31', event: { bizStep: 'commissioning', action: 'ADD', readPoint: 'urn:epc:id:sgln:0614141.00001.0' } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'lot', id: `${GTIN}/L1`, action: 'commissioned', count: 2 }] });
    const holders = await query(mfr, 'recallHolders', { gtin: GTIN, lot: 'L1' });
    expect(holders.holders).toEqual([{ owner: 'ManufacturerMSP', packs: 2, byStatus: { active: 2 } }]);
    expect(ledger.validationParameter(`\u0000pack\u0000${GTIN}\u0000A1\u0000`)).toBeDefined();
    // Another organisation cannot act on the pack.
    const dist = await ledger.user('DistributorMSP', 'distributor1', { role: 'distributor' });
    await expect(call(dist, 'quarantine', { packs: [{ gtin: GTIN, serial: 'A1' }], reason: 'suspect' })).rejects.toThrow('NOT_OWNER');
  });

  it('is all or nothing: one existing serial rejects the whole batch', async () => {
    const { mfr, call, query } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['A2'] });
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['A1', 'A2', 'A3'] })).rejects.toThrow(`PACK_EXISTS: A pack with this SGTIN already exists: ${GTIN}/A2`);
    await expect(query(mfr, 'getPack', { gtin: GTIN, serial: 'A1' })).rejects.toThrow('PACK_NOT_FOUND');
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['B1', 'B1'] })).rejects.toThrow('duplicate serial B1');
  });

  it('refuses a range holding an existing serial from one range read, ignoring other packs in its span', async () => {
    const { mfr, call, query } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    // R05A sorts between R05 and R06: inside the range's key span, not one of its serials.
    await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['R05A', 'R10'] });
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'R', start: 1, count: 12, width: 2 } })).rejects.toThrow(`PACK_EXISTS: A pack with this SGTIN already exists: ${GTIN}/R10`);
    await expect(query(mfr, 'getPack', { gtin: GTIN, serial: 'R01' })).rejects.toThrow('PACK_NOT_FOUND');
    // Ends of the span are inclusive; beyond them nothing is in the way.
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'R', start: 10, count: 1, width: 2 } })).rejects.toThrow('PACK_EXISTS');
    expect(await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'R', start: 1, count: 9, width: 2 } })).toMatchObject({ count: 9 });
    expect(await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'R', start: 11, count: 2, width: 2 } })).toMatchObject({ count: 2 });
    // Widths that break key order (R9, R10, R11 with width 1) are still all inside the span.
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'R', start: 9, count: 3, width: 1 } })).rejects.toThrow(`${GTIN}/R10`);
  });

  it('commissions a generated range of 2,000 in one transaction and refuses more', async () => {
    const { mfr, call, query } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    expect(await call(mfr, 'commission', { gtin: GTIN, lot: 'L2', expiry: '2028-01-31', range: { prefix: 'R', start: 0, count: 2000, width: 6 } })).toMatchObject({ count: 2000 });
    expect(await query(mfr, 'getPack', { gtin: GTIN, serial: 'R001999' })).toMatchObject({ lot: 'L2' });
    await expect(call(mfr, 'commission', { gtin: GTIN, lot: 'L2', expiry: '2028-01-31', range: { prefix: 'Q', start: 0, count: 2001 } })).rejects.toThrow('more than 2000 serials');
  });

  it('commissions 10,000 serials in five planned transactions, reporting progress', async () => {
    const { mfr, call, query } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    const progress: string[] = [];
    for (const batch of planCommissionBatches({ gtin: GTIN, lot: 'BULK', expiry: '2028-01-31', range: { prefix: 'B', start: 0, count: 10_000 } })) {
      const out = await call(mfr, 'commission', batch.request);
      expect(out.count).toBe(batch.count);
      progress.push(`${batch.done}/${batch.total}`);
    }
    expect(progress).toEqual(['2000/10000', '4000/10000', '6000/10000', '8000/10000', '10000/10000']);
    expect((await query(mfr, 'recallHolders', { gtin: GTIN, lot: 'BULK' })).holders).toEqual([{ owner: 'ManufacturerMSP', packs: 10_000, byStatus: { active: 10_000 } }]);
    expect(await query(mfr, 'getPack', { gtin: GTIN, serial: 'B9999' })).toMatchObject({ lot: 'BULK' });
  });

  it('refuses the wrong role, a foreign manufacturer, an unknown product, a bad date and a recalled lot', async () => {
    const { ledger, mfr, dist, call } = await setup();
    await call(mfr, 'registerProduct', PRODUCT);
    const req = { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', serials: ['A1'] };
    await expect(call(dist, 'commission', req)).rejects.toThrow('ROLE_FORBIDDEN');
    const otherMfr = await ledger.user('Hospital1MSP', 'compounder', { role: 'manufacturer' });
    await expect(call(otherMfr, 'commission', req)).rejects.toThrow('ORG_FORBIDDEN');
    await expect(call(mfr, 'commission', { ...req, gtin: '00012345678905' })).rejects.toThrow('PRODUCT_NOT_FOUND');
    await expect(call(mfr, 'commission', { ...req, expiry: '2028-02-30' })).rejects.toThrow('request/expiry: not a calendar date');
    await expect(call(mfr, 'commission', { ...req, serials: ['has space'] })).rejects.toThrow('VALIDATION_FAILED');
    await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' });
    await expect(call(mfr, 'commission', req)).rejects.toThrow('PACK_RECALLED');
  });
});
