/**
 * An asynchronous bulk commissioning across a crash: `npm start` is killed outright (the
 * test-only HEALTHLEDGER_CRASH_AT) after the second batch's transaction was submitted and before
 * its commit status came back, then started again on the same data. The operation resumes from
 * its record: the batches that committed are not sent again, the one in flight is read back from
 * the ledger by its recorded transaction id, the rest are committed — every serial exactly once
 * (a second commissioning of a serial would fail the operation with PACK_EXISTS). Runs the built
 * output (`npm test` builds first).
 */
import { gs1CheckDigit } from '@healthledger/contract-api';
import { CrashHarness } from './crash-harness';
import type { Json } from './http';
import { until } from './npm-start';

jest.setTimeout(180_000);

const harness = new CrashHarness();
afterAll(() => harness.close());

const GTIN = `0950800000001${gs1CheckDigit('0950800000001')}`;

test('killed mid-operation, the gateway resumes it at start and commits every batch once', async () => {
  const crashing = await harness.start({ HEALTHLEDGER_CRASH_AT: 'after-submit:2' });
  expect(
    (await crashing.api.post('manufacturer1', '/products', { gtin: GTIN, companyPrefixLength: 7, name: 'Paracetamol 500 mg', strength: '500 mg', dosageForm: 'tablet', packSize: 16, storage: { minCelsius: 15, maxCelsius: 25 } })).status,
  ).toBe(201);
  const accepted = await crashing.api.post('manufacturer1', '/packs/commission-bulk', { gtin: GTIN, lot: 'C1', expiry: '2030-06-30', range: { prefix: 'C', start: 1, count: 1000 } }, { prefer: 'respond-async' });
  expect(accepted.status).toBe(202);
  const location = accepted.headers.get('location') ?? '';
  // The batches run after the 202; the second to be submitted kills the process (a loaded machine may take a while).
  expect(await until(() => crashing.npm.exitCode !== null || crashing.npm.signalCode !== null, 120_000)).toBe(true);
  expect(await crashing.died()).toBe(true);

  const restarted = await harness.start();
  try {
    let view: Json;
    for (let polls = 0; polls < 1200; polls++) {
      view = (await restarted.api.get('manufacturer1', location)).body;
      if (!['accepted', 'running'].includes(view.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(view).toMatchObject({ status: 'succeeded', progress: { done: 1000, total: 1000 }, errors: [] });
    expect(new Set(view.batches.map((b: Json) => b.txId)).size).toBe(4);
    expect(view.batches.map((b: Json) => b.offset).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 4 }, (_v, i) => i * 250));
    const holders = (await restarted.api.get('manufacturer1', `/products/${GTIN}/lots/C1/holders`)).body;
    expect(holders.holders).toEqual([expect.objectContaining({ owner: 'ManufacturerMSP', packs: 1000 })]);
  } finally {
    await restarted.kill();
  }
});
