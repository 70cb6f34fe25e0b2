import { InMemoryChannel, type TestIdentity } from '../testing';
import { celsius, firstExcursion } from './cold-chain';
import { TraceContract } from './contract';
import { gs1CheckDigit } from '@healthledger/contract-api';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Epoetin alfa', strength: '4000 IU', dosageForm: 'solution for injection', packSize: 6, storage: { minCelsius: 2, maxCelsius: 8 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const H1 = 'Hospital1MSP';
const pack = (serial: string) => ({ gtin: GTIN, serial });
const ts = { attested: true };
const sscc = (n: number) => {
  const body = '0' + '0614141' + String(n).padStart(9, '0');
  return body + String(gs1CheckDigit(body));
};
const reading = (value: number, uom = 'CEL') => ({ type: 'Temperature', value, uom, time: '2026-03-01T08:30:00Z' });

/** Lot L1: K1..K4 at the distributor (K3, K4 in a case), K5, K6 at the manufacturer. */
async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const pharm = await ledger.user(H1, 'pharmacist1', { role: 'dispenser' });
  const call = async (who: TestIdentity, fn: string, request: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {}));
  const query = async (who: TestIdentity, fn: string, request: unknown) => JSON.parse(await ledger.evaluate(who, `trace:${fn}`, [JSON.stringify(request)]));
  await call(mfr, 'registerProduct', PRODUCT);
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2027-12-31', range: { prefix: 'K', start: 1, count: 6 } });
  await call(mfr, 'aggregate', { sscc: sscc(1), packs: [pack('K3'), pack('K4')] });
  await call(mfr, 'ship', { shipmentId: 'S1', to: D, packs: [pack('K1'), pack('K2')], containers: [sscc(1)], transactionDate: '2026-03-01', transactionStatement: ts });
  await call(dist, 'receive', { shipmentId: 'S1', packs: [pack('K1'), pack('K2')], containers: [sscc(1)] }, [M, D]);
  return { ledger, mfr, dist, pharm, call, query };
}

describe('verify', () => {
  it('answers authentic, owner, flags and mismatches for GTIN + serial (+ lot + expiry)', async () => {
    const { pharm, query } = await setup();
    expect(await query(pharm, 'verify', { ...pack('K1'), lot: 'L1', expiry: '2027-12-31' })).toEqual({
      gtin: GTIN,
      serial: 'K1',
      authentic: true,
      suspect: false,
      mismatches: [],
      status: 'active',
      disposition: 'active',
      owner: D,
      manufacturer: M,
      recalled: false,
      quarantined: false,
      expired: false,
      dispensable: true,
    });
    expect(await query(pharm, 'verify', { ...pack('K1'), lot: 'L2', expiry: '2027-11-30' })).toMatchObject({ authentic: true, suspect: true, mismatches: ['lot', 'expiry'], dispensable: false });
    expect(await query(pharm, 'verify', pack('FAKE'))).toMatchObject({ authentic: false, suspect: true, dispensable: false });
  });

  it('reads a scanned element string, Digital Link or SGTIN URN', async () => {
    const { pharm, query } = await setup();
    expect(await query(pharm, 'verify', { barcode: `(01)${GTIN}(17)271231(10)L1(21)K2` })).toMatchObject({ serial: 'K2', authentic: true, mismatches: [] });
    expect(await query(pharm, 'verify', { barcode: `01${GTIN}17271130` + '10L1\u001d21K2' })).toMatchObject({ mismatches: ['expiry'] });
    expect(await query(pharm, 'verify', { barcode: `https://id.gs1.org/01/${GTIN}/21/K2?10=LX` })).toMatchObject({ mismatches: ['lot'] });
    expect(await query(pharm, 'verify', { barcode: 'urn:epc:id:sgtin:9506000.013435.K2' })).toMatchObject({ serial: 'K2', owner: D });
    await expect(query(pharm, 'verify', { barcode: 'garbage' })).rejects.toThrow('request/barcode: not a GS1 element string');
    await expect(query(pharm, 'verify', { barcode: `(01)${GTIN}(10)L1` })).rejects.toThrow('carries no GTIN and serial');
    await expect(query(pharm, 'verify', { gtin: GTIN })).rejects.toThrow('VALIDATION_FAILED');
  });

  it('refuses identities of organisations outside the consortium', async () => {
    const { ledger, query } = await setup();
    const outsider = await ledger.user('RogueMSP', 'x', { role: 'dispenser' });
    await expect(query(outsider, 'verify', pack('K1'))).rejects.toThrow('ORG_FORBIDDEN');
    await expect(query(outsider, 'recallHolders', { gtin: GTIN, lot: 'L1' })).rejects.toThrow('ORG_FORBIDDEN');
    await expect(query(outsider, 'packHistory', pack('K1'))).rejects.toThrow('ORG_FORBIDDEN');
  });
});

describe('recall', () => {
  it('flags every pack of the lot, endorsed by every holder, and lists holders with counts', async () => {
    const { ledger, mfr, pharm, call, query } = await setup();
    await expect(call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility' })).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
    expect(await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility' }, [M, D])).toEqual({ gtin: GTIN, lot: 'L1', flagged: 6, remaining: 0 });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'lot', id: `${GTIN}/L1`, action: 'recalled', flagged: 6 }] });
    expect(await query(pharm, 'verify', pack('K4'))).toMatchObject({ recalled: true, disposition: 'recalled', dispensable: false });
    expect(await query(pharm, 'recallHolders', { gtin: GTIN, lot: 'L1' })).toEqual({
      gtin: GTIN,
      lot: 'L1',
      recalled: true,
      destroyed: 0,
      holders: [
        { owner: D, packs: 4, byStatus: { active: 4 } },
        { owner: M, packs: 2, byStatus: { active: 2 } },
      ],
    });
  });

  it('flags in several transactions with maxPacks; packs read as recalled at once', async () => {
    const { mfr, pharm, call, query } = await setup();
    expect(await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility', maxPacks: 4 }, [M, D])).toMatchObject({ flagged: 4, remaining: 2 });
    expect(await query(pharm, 'verify', pack('K6'))).toMatchObject({ recalled: true });
    expect(await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility', maxPacks: 4 }, [M, D])).toMatchObject({ flagged: 2, remaining: 0 });
    expect(await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility' }, [M])).toMatchObject({ flagged: 0, remaining: 0 });
  });

  it('refuses the wrong role and a manufacturer of another organisation', async () => {
    const { ledger, dist, call } = await setup();
    await expect(call(dist, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility' })).rejects.toThrow('ROLE_FORBIDDEN');
    const other = await ledger.user(D, 'repackager', { role: 'manufacturer' });
    await expect(call(other, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'sterility' })).rejects.toThrow('ORG_FORBIDDEN');
  });
});

describe('quarantine', () => {
  it('quarantines by the holder (a case: its contents); the pack cannot move until cleared', async () => {
    const { mfr, dist, call, query } = await setup();
    expect(await call(dist, 'quarantine', { containers: [sscc(1)], reason: 'suspect_counterfeit' })).toEqual({ quarantined: 2 });
    expect(await query(dist, 'verify', pack('K3'))).toMatchObject({ quarantined: true, disposition: 'non_sellable_other' });
    const move = { shipmentId: 'S2', to: H1, packs: [pack('K3')], transactionDate: '2026-03-01', transactionStatement: ts };
    await call(dist, 'disaggregate', { sscc: sscc(1) });
    await expect(call(dist, 'ship', move)).rejects.toThrow('PACK_QUARANTINED');
    await expect(call(dist, 'quarantine', { packs: [pack('K3')], reason: 'again' })).rejects.toThrow('PACK_QUARANTINED');
    const cleared = await call(mfr, 'clearQuarantine', { ...pack('K3'), reason: 'genuine' }, [M, D]);
    expect(cleared.quarantine).toBeUndefined();
    await expect(call(dist, 'ship', move)).resolves.toMatchObject({ status: 'shipped' });
  });

  it('refuses quarantine by a non-holder or a non-trading role', async () => {
    const { ledger, pharm, call } = await setup();
    await expect(call(pharm, 'quarantine', { packs: [pack('K1')], reason: 'suspect' })).rejects.toThrow('NOT_OWNER');
    const clerk = await ledger.user(D, 'clerk', { role: 'billing' });
    await expect(call(clerk, 'quarantine', { packs: [pack('K1')], reason: 'suspect' })).rejects.toThrow('ROLE_FORBIDDEN');
  });

  it('lets only the manufacturer (or a regulator auditor) clear or confirm', async () => {
    const { ledger, dist, call } = await setup();
    await call(dist, 'quarantine', { packs: [pack('K1')], reason: 'suspect' });
    await expect(call(dist, 'clearQuarantine', pack('K1'))).rejects.toThrow('ROLE_FORBIDDEN');
    const payerAuditor = await ledger.user('InsurerMSP', 'auditor3', { role: 'auditor' });
    await expect(call(payerAuditor, 'clearQuarantine', pack('K1'), ['InsurerMSP', D])).rejects.toThrow(`ORG_FORBIDDEN: The caller organisation may not perform this action: InsurerMSP is not a regulator`);
    const otherMfr = await ledger.user(D, 'repackager', { role: 'manufacturer' });
    await expect(call(otherMfr, 'confirmIllegitimate', pack('K1'))).rejects.toThrow('is not the manufacturer');
  });

  it('confirms illegitimate with a notification event; the pack may then only be destroyed', async () => {
    const { ledger, mfr, dist, pharm, call, query } = await setup();
    await expect(call(mfr, 'confirmIllegitimate', pack('K2'), [M, D])).rejects.toThrow('is not quarantined');
    await call(dist, 'quarantine', { packs: [pack('K2')], reason: 'suspect_counterfeit' });
    await expect(call(mfr, 'confirmIllegitimate', pack('K2'))).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
    const out = await call(mfr, 'confirmIllegitimate', pack('K2'), [M, D]);
    expect(out).toMatchObject({ status: 'illegitimate', event: { bizStep: 'inspecting', reason: 'suspect_counterfeit' } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({
      changes: [{ type: 'pack', id: `${GTIN}/K2`, action: 'illegitimate_confirmed', gtin: GTIN, lot: 'L1', holder: D, manufacturer: M, notify: 'illegitimate_product' }],
    });
    expect(await query(pharm, 'verify', pack('K2'))).toMatchObject({ authentic: false, suspect: true, disposition: 'non_conformant' });
    await expect(call(dist, 'ship', { shipmentId: 'S9', to: H1, packs: [pack('K2')], transactionDate: '2026-03-01', transactionStatement: ts })).rejects.toThrow('is illegitimate');
    await expect(call(dist, 'destroy', { packs: [pack('K2')], reason: 'illegitimate' })).resolves.toEqual({ destroyed: 1 });
  });
});

describe('cold chain', () => {
  it('converts units and finds the first excursion', () => {
    expect(celsius({ value: 212, uom: 'FAR' })).toBe(100);
    expect(celsius({ value: 5, uom: 'CEL' })).toBe(5);
    const readings = [reading(35.6, 'FAR'), reading(46.4, 'FAR'), reading(8.1)] as never[];
    expect(firstExcursion(readings, { minCelsius: 2, maxCelsius: 8 })).toMatchObject({ value: 8.1 });
    expect(firstExcursion(readings.slice(0, 2), { minCelsius: 2, maxCelsius: 8 })).toBeUndefined();
  });

  it('keeps in-range readings without touching packs; an excursion on a case marks its packs non-sellable', async () => {
    const { ledger, dist, call, query } = await setup();
    expect(await call(dist, 'recordSensorReport', { containers: [sscc(1)], readings: [reading(2), reading(8)] })).toEqual({ readings: 2, affected: [] });
    const before = ledger.events.length;
    const out = await call(dist, 'recordSensorReport', { containers: [sscc(1)], readings: [reading(5), reading(1.9)] });
    expect(out).toEqual({ readings: 2, affected: [`${GTIN}/K3`, `${GTIN}/K4`] });
    expect(ledger.events.length).toBe(before + 1);
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'coldchain', action: 'temperature_excursion', packs: 2 }] });
    expect(await query(dist, 'getPack', pack('K3'))).toMatchObject({ nonSellable: { reason: 'temperature_excursion', at: '2026-03-01T08:30:00Z' }, event: { sensor: { value: 1.9, uom: 'CEL' } } });
    expect(await query(dist, 'verify', pack('K3'))).toMatchObject({ disposition: 'non_sellable_other', dispensable: false });
    expect((await query(dist, 'verify', pack('K1'))).dispensable).toBe(true);
  });

  it('refuses readings from a non-holder and other sensor types', async () => {
    const { mfr, call } = await setup();
    await expect(call(mfr, 'recordSensorReport', { packs: [pack('K1')], readings: [reading(30)] })).rejects.toThrow('NOT_OWNER');
    await expect(call(mfr, 'recordSensorReport', { packs: [pack('K5')], readings: [{ ...reading(30), type: 'Humidity' }] })).rejects.toThrow('VALIDATION_FAILED');
    await expect(call(mfr, 'recordSensorReport', { packs: [pack('K5')], readings: [] })).rejects.toThrow('VALIDATION_FAILED');
  });
});
