import { InMemoryChannel, type TestIdentity } from '../testing';
import { TraceContract } from './contract';
import { DSCSA_STATEMENT } from './custody';
import { gs1CheckDigit } from '@healthledger/contract-api';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, ndc: '12345-678-90', name: 'Amoxicillin 500 mg capsules', strength: '500 mg', dosageForm: 'capsule', packSize: 21, storage: { minCelsius: 2, maxCelsius: 25 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const H1 = 'Hospital1MSP';

function sscc(n: number): string {
  const body = '0' + '0614141' + String(n).padStart(9, '0');
  return body + String(gs1CheckDigit(body));
}
const pack = (serial: string) => ({ gtin: GTIN, serial });
const ts = { attested: true };

async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const pharm = await ledger.user(H1, 'pharmacist1', { role: 'dispenser' });
  const clin = await ledger.user(M, 'clinician', { role: 'clinician' });
  const call = async (who: TestIdentity, fn: string, request: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {}));
  const query = async (who: TestIdentity, fn: string, request: unknown) => JSON.parse(await ledger.evaluate(who, `trace:${fn}`, [JSON.stringify(request)]));
  await call(mfr, 'registerProduct', PRODUCT);
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2028-01-31', range: { prefix: 'S', start: 1, count: 6 } });
  return { ledger, mfr, dist, pharm, clin, call, query };
}

describe('aggregation', () => {
  it('packs packs into a case and the case into a pallet, and unpacks them', async () => {
    const { mfr, call, query } = await setup();
    const caseA = await call(mfr, 'aggregate', { sscc: sscc(1), companyPrefixLength: 7, packs: [pack('S2'), pack('S1')] });
    expect(caseA).toMatchObject({ sscc: sscc(1), owner: M, packs: [`${GTIN}/S1`, `${GTIN}/S2`], containers: [] });
    expect(await query(mfr, 'getPack', pack('S1'))).toMatchObject({ parent: sscc(1), event: { bizStep: 'packing', action: 'ADD', parent: sscc(1) } });
    await call(mfr, 'aggregate', { sscc: sscc(9), containers: [sscc(1)] });
    await expect(call(mfr, 'aggregate', { sscc: sscc(1), containers: [sscc(9)] })).rejects.toThrow(`${sscc(9)} contains ${sscc(1)}`);
    await expect(call(mfr, 'aggregate', { sscc: sscc(2), packs: [pack('S1')] })).rejects.toThrow(`PACK_ILLEGAL_STATE: The pack status does not allow this action: ${GTIN}/S1 is already in ${sscc(1)}`);
    await expect(call(mfr, 'aggregate', { sscc: sscc(2), containers: [sscc(2)] })).rejects.toThrow('cannot contain itself');
    await expect(call(mfr, 'aggregate', { sscc: '106141412345678909', packs: [pack('S3')] })).rejects.toThrow('request/sscc: SSCC check digit is wrong');
    await expect(call(mfr, 'aggregate', { sscc: sscc(2), packs: [{ gtin: GTIN, serial: 'nope' }] })).rejects.toThrow('PACK_NOT_FOUND');
    await expect(call(mfr, 'aggregate', { sscc: sscc(2) })).rejects.toThrow('names no packs or containers');
    await expect(call(mfr, 'disaggregate', { sscc: sscc(1), packs: [pack('S3')] })).rejects.toThrow(`not in ${sscc(1)}: ${GTIN}/S3`);
    const emptied = await call(mfr, 'disaggregate', { sscc: sscc(1) });
    expect(emptied).toMatchObject({ packs: [], containers: [], parent: sscc(9) });
    expect((await query(mfr, 'getPack', pack('S2'))).parent).toBeUndefined();
    await expect(call(mfr, 'disaggregate', { sscc: sscc(3) })).rejects.toThrow('CONTAINER_NOT_FOUND');
  });

  it('unpacks only the named children', async () => {
    const { mfr, call, query } = await setup();
    await call(mfr, 'aggregate', { sscc: sscc(1), packs: [pack('S1'), pack('S2'), pack('S3')] });
    const left = await call(mfr, 'disaggregate', { sscc: sscc(1), packs: [pack('S2')] });
    expect(left.packs).toEqual([`${GTIN}/S1`, `${GTIN}/S3`]);
    expect(await query(mfr, 'getPack', pack('S2'))).toMatchObject({ event: { bizStep: 'unpacking', action: 'DELETE', parent: sscc(1) } });
    expect((await query(mfr, 'getPack', pack('S3'))).parent).toBe(sscc(1));
  });

  it('refuses aggregation by the wrong role or a non-owner', async () => {
    const { mfr, dist, clin, call } = await setup();
    await expect(call(clin, 'aggregate', { sscc: sscc(1), packs: [pack('S1')] })).rejects.toThrow('ROLE_FORBIDDEN');
    await expect(call(dist, 'aggregate', { sscc: sscc(1), packs: [pack('S1')] })).rejects.toThrow(`NOT_OWNER: Only the current owner may do this: ${GTIN}/S1`);
    await call(mfr, 'aggregate', { sscc: sscc(1), packs: [pack('S1')] });
    await expect(call(dist, 'disaggregate', { sscc: sscc(1) })).rejects.toThrow('NOT_OWNER');
    await expect(call(dist, 'aggregate', { sscc: sscc(1), packs: [pack('S2')] })).rejects.toThrow(`NOT_OWNER: Only the current owner may do this: ${sscc(1)}`);
  });
});

describe('shipping and receiving', () => {
  async function shipped() {
    const f = await setup();
    await f.call(f.mfr, 'aggregate', { sscc: sscc(1), packs: [pack('S1'), pack('S2')] });
    await f.call(f.mfr, 'aggregate', { sscc: sscc(9), containers: [sscc(1)] });
    const shipment = await f.call(f.mfr, 'ship', { shipmentId: 'SHP-1', to: D, containers: [sscc(9)], packs: [pack('S3')], transactionDate: '2026-02-27', transactionStatement: ts });
    return { ...f, shipment };
  }

  it('ships with DSCSA transaction information and statement; packs and containers go in transit', async () => {
    const { shipment, query, mfr, dist, pharm } = await shipped();
    expect(shipment).toMatchObject({
      id: 'SHP-1',
      from: M,
      to: D,
      status: 'shipped',
      packs: [`${GTIN}/S3`],
      containers: [sscc(9)],
      transactionInformation: {
        transactionDate: '2026-02-27',
        shipmentDate: '2026-03-01',
        lines: [{ gtin: GTIN, ndc: '12345-678-90', name: PRODUCT.name, strength: '500 mg', dosageForm: 'capsule', packSize: 21, lot: 'L1', expiry: '2028-01-31', quantity: 3 }],
      },
      transactionStatement: { attested: true, text: DSCSA_STATEMENT, by: { org: M } },
    });
    expect(await query(mfr, 'getPack', pack('S1'))).toMatchObject({ status: 'in_transit', shipmentId: 'SHP-1', owner: M });
    expect(await query(dist, 'getShipment', { shipmentId: 'SHP-1' })).toMatchObject({ id: 'SHP-1' });
    await expect(query(pharm, 'getShipment', { shipmentId: 'SHP-1' })).rejects.toThrow('ORG_FORBIDDEN');
    await expect(query(dist, 'getShipment', { shipmentId: 'SHP-2' })).rejects.toThrow('SHIPMENT_NOT_FOUND');
  });

  it('refuses shipping by a non-owner, the wrong role, to itself or a stranger, twice, or without attestation', async () => {
    const { mfr, dist, clin, call } = await setup();
    const req = { shipmentId: 'SHP-1', to: D, packs: [pack('S1')], transactionDate: '2026-03-01', transactionStatement: ts };
    await expect(call(dist, 'ship', { ...req, to: H1 })).rejects.toThrow('NOT_OWNER');
    await expect(call(clin, 'ship', req)).rejects.toThrow('ROLE_FORBIDDEN');
    await expect(call(mfr, 'ship', { ...req, to: M })).rejects.toThrow('request/to: is the sender');
    await expect(call(mfr, 'ship', { ...req, to: 'NowhereMSP' })).rejects.toThrow('not a consortium organisation');
    await expect(call(mfr, 'ship', { ...req, to: 'InsurerMSP' })).rejects.toThrow('request/to: InsurerMSP is a payer, not a trading partner');
    await expect(call(mfr, 'ship', { ...req, transactionStatement: { attested: false } })).rejects.toThrow('VALIDATION_FAILED');
    await expect(call(mfr, 'ship', { ...req, transactionStatement: undefined })).rejects.toThrow('VALIDATION_FAILED');
    await call(mfr, 'ship', req);
    await expect(call(mfr, 'ship', { ...req, packs: [pack('S2')] })).rejects.toThrow('SHIPMENT_EXISTS');
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'SHP-2' })).rejects.toThrow(`PACK_ILLEGAL_STATE: The pack status does not allow this action: ${GTIN}/S1 is in_transit`);
  });

  it('refuses shipping another organisation’s (even empty) container', async () => {
    const { mfr, dist, call } = await setup();
    await call(mfr, 'aggregate', { sscc: sscc(7), packs: [pack('S6')] });
    await call(mfr, 'disaggregate', { sscc: sscc(7) });
    await expect(call(dist, 'ship', { shipmentId: 'X', to: H1, containers: [sscc(7)], transactionDate: '2026-03-01', transactionStatement: ts })).rejects.toThrow(`NOT_OWNER: Only the current owner may do this: ${sscc(7)}`);
  });

  it('lists an organisation’s holdings page by page, its own only', async () => {
    const { mfr, dist, call, query } = await setup();
    const first = await query(mfr, 'listHoldings', { pageSize: 4 });
    expect(first.items.map((h: { serial: string }) => h.serial)).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(first.items[0]).toEqual({ gtin: GTIN, lot: 'L1', serial: 'S1', status: 'active' });
    const second = await query(mfr, 'listHoldings', { pageSize: 4, bookmark: first.bookmark });
    expect(second).toEqual({ items: [expect.objectContaining({ serial: 'S5' }), expect.objectContaining({ serial: 'S6' })], bookmark: '' });
    expect((await query(mfr, 'listHoldings', { gtin: GTIN, lot: 'L1' })).items).toHaveLength(6);
    await call(mfr, 'ship', { shipmentId: 'H', to: D, packs: [pack('S1')], transactionDate: '2026-03-01', transactionStatement: ts });
    await call(dist, 'receive', { shipmentId: 'H', packs: [pack('S1')] }, [M, D]);
    expect((await query(dist, 'listHoldings', {})).items).toEqual([{ gtin: GTIN, lot: 'L1', serial: 'S1', status: 'active' }]);
    await expect(query(dist, 'listHoldings', { owner: M })).rejects.toThrow('ORG_FORBIDDEN');
    await expect(query(mfr, 'listHoldings', { lot: 'L1' })).rejects.toThrow('request/lot: needs gtin');
    await expect(query(mfr, 'listHoldings', { pageSize: 101 })).rejects.toThrow('VALIDATION_FAILED');
  });

  it('refuses shipping a pack inside a container, a quarantined, recalled, expired or non-sellable pack', async () => {
    const { mfr, call } = await setup();
    const req = { to: D, transactionDate: '2026-03-01', transactionStatement: ts };
    await call(mfr, 'aggregate', { sscc: sscc(1), packs: [pack('S1')] });
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'A', packs: [pack('S1')] })).rejects.toThrow(`is inside ${sscc(1)}`);
    await call(mfr, 'quarantine', { packs: [pack('S2')], reason: 'suspect_counterfeit' });
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'B', packs: [pack('S2')] })).rejects.toThrow('PACK_QUARANTINED');
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'B', containers: [sscc(1)], packs: [pack('S2')] })).rejects.toThrow('PACK_QUARANTINED');
    await call(mfr, 'commission', { gtin: GTIN, lot: 'OLD', expiry: '2026-02-28', serials: ['E1'] });
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'C', packs: [pack('E1')] })).rejects.toThrow('PACK_EXPIRED');
    await call(mfr, 'recordSensorReport', { packs: [pack('S4')], readings: [{ type: 'Temperature', value: 40, uom: 'CEL', time: '2026-03-01T08:00:00Z' }] });
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'D', packs: [pack('S4')] })).rejects.toThrow('is non-sellable');
    await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' });
    await expect(call(mfr, 'ship', { ...req, shipmentId: 'E', packs: [pack('S5')] })).rejects.toThrow('PACK_RECALLED');
  });

  it('lets recalled packs go back to the manufacturer', async () => {
    const { mfr, dist, call } = await setup();
    await call(mfr, 'ship', { shipmentId: 'OUT', to: D, packs: [pack('S1')], transactionDate: '2026-03-01', transactionStatement: ts });
    await call(dist, 'receive', { shipmentId: 'OUT', packs: [pack('S1')] }, [M, D]);
    await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' }, [M, D]);
    const back = await call(dist, 'ship', { shipmentId: 'RET', to: M, packs: [pack('S1')], transactionDate: '2026-03-01', transactionStatement: ts });
    expect(back).toMatchObject({ from: D, to: M, status: 'shipped' });
  });

  it('receives only by the consignee, only a matching receipt, only with the sender endorsing; then ownership moves', async () => {
    const { ledger, mfr, dist, pharm, call, query } = await shipped();
    const all = { shipmentId: 'SHP-1', containers: [sscc(9)], packs: [pack('S3')] };
    await expect(call(pharm, 'receive', all, [M, H1])).rejects.toThrow(`ORG_FORBIDDEN: The caller organisation may not perform this action: ${H1} is not the consignee of SHP-1`);
    await expect(call(dist, 'receive', { shipmentId: 'SHP-1', containers: [sscc(9)], packs: [pack('S4')] }, [M, D])).rejects.toThrow(
      `SHIPMENT_MISMATCH: The receipt does not match the shipment: missing ${GTIN}/S3; unexpected ${GTIN}/S4`,
    );
    await expect(call(dist, 'receive', { shipmentId: 'SHP-1', packs: [pack('S3')] }, [M, D])).rejects.toThrow(`missing ${sscc(9)}`);
    await expect(call(dist, 'receive', { ...all, shipmentId: 'SHP-9' }, [M, D])).rejects.toThrow('SHIPMENT_NOT_FOUND');
    await expect(call(dist, 'receive', all)).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
    const distBilling = await ledger.user(D, 'clerk', { role: 'billing' });
    await expect(call(distBilling, 'receive', all, [M, D])).rejects.toThrow('ROLE_FORBIDDEN');
    const received = await call(dist, 'receive', all, [M, D]);
    expect(received).toMatchObject({ status: 'received', receivedBy: { org: D } });
    expect(await query(dist, 'getPack', pack('S1'))).toMatchObject({ owner: D, status: 'active', parent: sscc(1), event: { bizStep: 'receiving', partner: M } });
    expect((await query(dist, 'getPack', pack('S1'))).shipmentId).toBeUndefined();
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'shipment', id: 'SHP-1', action: 'received', from: M, to: D, packs: 3 }] });
    await expect(call(dist, 'receive', all, [M, D])).rejects.toThrow('was already received');
    // The new owner alone now endorses its packs; the old owner can no longer move them.
    await expect(call(mfr, 'ship', { shipmentId: 'SHP-X', to: H1, packs: [pack('S3')], transactionDate: '2026-03-01', transactionStatement: ts })).rejects.toThrow('NOT_OWNER');
    await call(dist, 'ship', { shipmentId: 'SHP-2', to: H1, containers: [sscc(9)], transactionDate: '2026-03-01', transactionStatement: ts });
    expect((await query(dist, 'recallHolders', { gtin: GTIN, lot: 'L1' })).holders).toEqual([
      { owner: D, packs: 3, byStatus: { in_transit: 2, active: 1 } },
      { owner: M, packs: 3, byStatus: { active: 3 } },
    ]);
  });

  it('refuses receipt of a pack quarantined in transit', async () => {
    const { mfr, dist, call } = await shipped();
    await call(mfr, 'quarantine', { packs: [pack('S3')], reason: 'tampered' });
    await expect(call(dist, 'receive', { shipmentId: 'SHP-1', containers: [sscc(9)], packs: [pack('S3')] }, [M, D])).rejects.toThrow('PACK_QUARANTINED');
  });

  it('is deterministic: commissioning, shipping and receiving endorsed on two peers agree', async () => {
    const { mfr, dist, call } = await setup();
    await call(mfr, 'commission', { gtin: GTIN, lot: 'L9', expiry: '2028-01-31', serials: ['Z1', 'Z2'] }, [M, D]);
    await call(mfr, 'aggregate', { sscc: sscc(5), packs: [pack('Z1'), pack('Z2')] }, [M, D]);
    await call(mfr, 'ship', { shipmentId: 'DET', to: D, containers: [sscc(5)], transactionDate: '2026-03-01', transactionStatement: ts }, [M, D]);
    await expect(call(dist, 'receive', { shipmentId: 'DET', containers: [sscc(5)] }, [M, D])).resolves.toMatchObject({ status: 'received' });
  });
});
