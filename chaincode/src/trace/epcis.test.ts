import { InMemoryChannel, type TestIdentity } from '../testing';
import { TraceContract } from './contract';
import { commandOf, type EpcisEvent } from './epcis';
import { cbvTerm, orgUri } from './epcis/vocabulary';
import { gs1CheckDigit, sgtinUrn, ssccUrn } from '@healthledger/contract-api';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Adalimumab pen', strength: '40 mg', dosageForm: 'solution for injection', packSize: 2, storage: { minCelsius: 2, maxCelsius: 8 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const sgtin = (serial: string) => sgtinUrn(GTIN, serial, 7);
const SSCC = (() => {
  const body = '3' + '0614141' + '000000042';
  return body + String(gs1CheckDigit(body));
})();
const NO_SHIPMENTS = { shipmentExists: () => Promise.resolve(false) };
const readPoint = { id: 'urn:epc:id:sgln:0614141.00777.0' };
const bizLocation = { id: 'urn:epc:id:sgln:0614141.00777.0' };

const commissioning = (serials: string[]): EpcisEvent => ({
  type: 'ObjectEvent',
  eventTime: '2026-02-28T10:00:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  action: 'ADD',
  bizStep: 'urn:epcglobal:cbv:bizstep:commissioning',
  disposition: 'active',
  epcList: serials.map(sgtin),
  readPoint,
  bizLocation,
  ilmd: { 'cbvmda:lotNumber': 'LOT-A', 'cbvmda:itemExpirationDate': '2028-03-31' },
});

async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const capture = async (who: TestIdentity, event: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, 'trace:captureEpcis', [JSON.stringify(event)], endorsers ? { endorsers } : {}));
  const history = async (who: TestIdentity, serial: string) => JSON.parse(await ledger.evaluate(who, 'trace:packHistory', [JSON.stringify({ gtin: GTIN, serial })]));
  await ledger.submit(mfr, 'trace:registerProduct', [JSON.stringify(PRODUCT)]);
  return { ledger, mfr, dist, capture, history };
}

describe('EPCIS capture', () => {
  it('commissions, packs, ships, receives, records sensor data, holds and destroys from EPCIS events', async () => {
    const { mfr, dist, capture, ledger } = await setup();
    const doc = { '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-02-28T10:00:00Z', epcisBody: { eventList: [commissioning(['E1', 'E2', 'E3'])] } };
    expect(await capture(mfr, doc)).toEqual({ operation: 'commission', result: { gtin: GTIN, lot: 'LOT-A', count: 3 } });
    const packing = { type: 'AggregationEvent', eventTime: '2026-02-28T11:00:00Z', action: 'ADD', bizStep: 'packing', parentID: ssccUrn(SSCC, 7), childEPCs: [sgtin('E1'), sgtin('E2')], readPoint };
    expect(await capture(mfr, packing)).toMatchObject({ operation: 'aggregate', result: { sscc: SSCC, companyPrefixLength: 7 } });
    const shipping = {
      type: 'TransactionEvent',
      eventTime: '2026-03-01T08:00:00Z',
      action: 'ADD',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      disposition: 'in_transit',
      parentID: ssccUrn(SSCC, 7),
      epcList: [sgtin('E3')],
      bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:desadv', bizTransaction: 'urn:healthledger:shipment:ASN-1' }],
      sourceList: [{ type: 'owning_party', source: orgUri(M) }],
      destinationList: [{ type: 'urn:epcglobal:cbv:sdt:owning_party', destination: orgUri(D) }],
      'hl:transactionDate': '2026-02-27',
      'hl:transactionStatement': { attested: true },
    };
    expect(await capture(mfr, shipping)).toMatchObject({ operation: 'ship', result: { id: 'ASN-1', from: M, to: D, transactionInformation: { transactionDate: '2026-02-27', lines: [{ lot: 'LOT-A', quantity: 3 }] } } });
    const receiving = { type: 'ObjectEvent', eventTime: '2026-03-01T09:00:00Z', action: 'OBSERVE', bizStep: 'receiving', epcList: [`https://id.gs1.org/00/${SSCC}`, `https://id.gs1.org/01/${GTIN}/21/E3`], bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:healthledger:shipment:ASN-1' }] };
    expect(await capture(dist, receiving, [M, D])).toMatchObject({ operation: 'receive', result: { status: 'received' } });
    const sensing = { type: 'ObjectEvent', eventTime: '2026-03-01T10:00:00Z', action: 'OBSERVE', bizStep: 'inspecting', epcList: [ssccUrn(SSCC, 7)], sensorElementList: [{ sensorMetadata: { time: '2026-03-01T09:30:00Z' }, sensorReport: [{ type: 'gs1:Temperature', value: 50, uom: 'FAR' }] }] };
    expect(await capture(dist, sensing)).toEqual({ operation: 'recordSensorReport', result: { readings: 1, affected: [`${GTIN}/E1`, `${GTIN}/E2`] } });
    const holding = { type: 'ObjectEvent', eventTime: '2026-03-01T11:00:00Z', action: 'OBSERVE', bizStep: 'holding', disposition: 'non_sellable_other', epcList: [sgtin('E3')], 'hl:reason': 'suspect_counterfeit' };
    expect(await capture(dist, holding)).toEqual({ operation: 'quarantine', result: { quarantined: 1 } });
    const destroying = { type: 'ObjectEvent', eventTime: '2026-03-01T12:00:00Z', action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed', epcList: [ssccUrn(SSCC, 7)], 'hl:reason': 'temperature_excursion' };
    expect(await capture(dist, destroying)).toEqual({ operation: 'destroy', result: { destroyed: 2 } });
    expect(ledger.events.length).toBeGreaterThan(0);
  });

  it('enforces the operation’s own authorization', async () => {
    const { dist, capture } = await setup();
    await expect(capture(dist, commissioning(['X1']))).rejects.toThrow('ROLE_FORBIDDEN');
  });

  it('rejects events it cannot map, with the field named', async () => {
    const { mfr, capture } = await setup();
    const base = { type: 'ObjectEvent', eventTime: '2026-03-01T08:00:00Z', epcList: [sgtin('E1')] };
    await expect(capture(mfr, { ...commissioning(['E1']), ilmd: { 'cbvmda:lotNumber': 'L' } })).rejects.toThrow('request/ilmd/cbvmda:itemExpirationDate: is required');
    await expect(capture(mfr, { ...commissioning(['E1']), ilmd: { lotNumber: 'L', itemExpirationDate: '2028-03-31' } })).rejects.toThrow('request/ilmd/lotNumber: CBV master data is cbvmda:lotNumber');
    await expect(capture(mfr, { ...commissioning(['E1']), epcList: ['urn:epc:id:sgtin:bad'] })).rejects.toThrow('request/epcList/0: not an SGTIN or SSCC');
    await expect(capture(mfr, { ...base, action: 'OBSERVE', bizStep: 'shipping', destinationList: [{ type: 'owning_party', destination: orgUri(D) }], 'hl:transactionStatement': { attested: true } })).rejects.toThrow('needs a desadv');
    await expect(capture(mfr, { ...base, action: 'OBSERVE', bizStep: 'shipping', destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:9520999.99999' }], 'hl:transactionStatement': { attested: true } })).rejects.toThrow('must be a consortium organisation');
    await expect(capture(mfr, { ...base, action: 'OBSERVE', bizStep: 'shipping', bizTransactionList: [{ type: 'desadv', bizTransaction: 'X' }], destinationList: [{ type: 'owning_party', destination: orgUri(D) }] })).rejects.toThrow('transaction statement is required');
    await expect(capture(mfr, { ...base, action: 'OBSERVE', bizStep: 'dispensing', epcList: [sgtin('E1'), sgtin('E2')] })).rejects.toThrow('name exactly one pack');
    await expect(capture(mfr, { type: 'AggregationEvent', eventTime: '2026-03-01T08:00:00Z', action: 'ADD', parentID: sgtin('E1'), childEPCs: [sgtin('E2')] })).rejects.toThrow('request/parentID: not an SSCC');
    await expect(capture(mfr, { ...base, action: 'ADD', bizStep: 'commissioning', unknownField: 1 })).rejects.toThrow('request/unknownField: is not an EPCIS 2.0 field');
    await expect(capture(mfr, { ...base, type: 'TransformationEvent', bizStep: 'commissioning' })).rejects.toThrow('EPCIS_EVENT_UNSUPPORTED');
    await expect(capture(mfr, { ...base, action: 'OBSERVE', errorDeclaration: { declarationTime: base.eventTime } })).rejects.toThrow('EPCIS_EVENT_UNSUPPORTED');
    await expect(capture(mfr, { type: 'EPCISDocument', epcisBody: { eventList: [] } })).rejects.toThrow('VALIDATION_FAILED');
  });

  it('maps dispensing and decommissioning to dispense, unpacking to disaggregate, other steps to observations', async () => {
    const one = { type: 'ObjectEvent' as const, eventTime: '2026-03-01T08:00:00Z', epcList: [sgtin('E1')] };
    expect(await commandOf({ ...one, action: 'OBSERVE', bizStep: 'dispensing' }, 2026, NO_SHIPMENTS)).toEqual({ fn: 'dispense', request: { gtin: GTIN, serial: 'E1', eventTime: one.eventTime } });
    expect((await commandOf({ ...one, action: 'DELETE', bizStep: 'urn:epcglobal:cbv:bizstep:decommissioning' }, 2026, NO_SHIPMENTS)).fn).toBe('dispense');
    expect(await commandOf({ type: 'AggregationEvent', eventTime: one.eventTime, action: 'DELETE', bizStep: 'unpacking', parentID: ssccUrn(SSCC, 7) }, 2026, NO_SHIPMENTS)).toEqual({ fn: 'disaggregate', request: { sscc: SSCC, eventTime: one.eventTime } });
    const po = { type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' };
    expect(await commandOf({ ...one, action: 'OBSERVE', bizStep: 'https://ref.gs1.org/cbv/BizStep-inspecting', disposition: 'conformant', bizTransactionList: [po] }, 2026, NO_SHIPMENTS)).toEqual({
      fn: 'recordObservation',
      request: { packs: [{ gtin: GTIN, serial: 'E1' }], bizStep: 'https://ref.gs1.org/cbv/BizStep-inspecting', action: 'OBSERVE', disposition: 'conformant', bizTransactions: [{ type: 'po', id: po.bizTransaction }], eventTime: one.eventTime },
    });
    expect((await commandOf({ ...one, action: 'OBSERVE', bizStep: 'shipping', bizTransactionList: [po] }, 2026, NO_SHIPMENTS)).fn).toBe('recordObservation');
    const receiving = { ...one, action: 'OBSERVE' as const, bizStep: 'receiving', bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:healthledger:shipment:S1' }] };
    expect((await commandOf(receiving, 2026, NO_SHIPMENTS)).fn).toBe('recordObservation');
    expect((await commandOf(receiving, 2026, { shipmentExists: (id) => Promise.resolve(id === 'S1') })).fn).toBe('receive');
    expect(cbvTerm('https://ref.gs1.org/cbv/Disp-in_transit')).toBe('in_transit');
  });
});

describe('pack history as EPCIS', () => {
  it('returns the pack’s events in order, and the commissioning event round-trips', async () => {
    const { mfr, dist, capture, history, ledger } = await setup();
    const original = commissioning(['H1']);
    await capture(mfr, original);
    await capture(mfr, { type: 'AggregationEvent', eventTime: '2026-02-28T11:00:00Z', action: 'ADD', bizStep: 'packing', parentID: ssccUrn(SSCC, 7), childEPCs: [sgtin('H1')] });
    await ledger.submit(mfr, 'trace:ship', [JSON.stringify({ shipmentId: 'ASN-9', to: D, containers: [SSCC], transactionDate: '2026-03-01', transactionStatement: { attested: true } })]);
    await ledger.submit(dist, 'trace:receive', [JSON.stringify({ shipmentId: 'ASN-9', containers: [SSCC] })], { endorsers: [M, D] });
    const doc = await history(dist, 'H1');
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0' });
    const events = doc.epcisBody.eventList;
    expect(events.map((e: { bizStep: string }) => e.bizStep)).toEqual(['commissioning', 'packing', 'shipping', 'receiving']);
    expect(events[0]).toMatchObject({ type: 'ObjectEvent', action: 'ADD', eventTime: original.eventTime, eventTimeZoneOffset: '+01:00', disposition: 'active', epcList: [sgtin('H1')], readPoint, bizLocation, ilmd: original.ilmd });
    expect(events[1]).toMatchObject({ type: 'AggregationEvent', action: 'ADD', parentID: ssccUrn(SSCC, 7), childEPCs: [sgtin('H1')] });
    expect(events[2]).toMatchObject({ disposition: 'in_transit', bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:healthledger:shipment:ASN-9' }], sourceList: [{ type: 'owning_party', source: orgUri(M) }], destinationList: [{ type: 'owning_party', destination: orgUri(D) }] });
    expect(events[3]).toMatchObject({ disposition: 'active', sourceList: [{ source: orgUri(M) }], destinationList: [{ destination: orgUri(D) }] });
    // Round trip: the returned event converts to the same operation as the captured one.
    expect(await commandOf(events[0], 2026, NO_SHIPMENTS)).toEqual(await commandOf(original, 2026, NO_SHIPMENTS));
    expect(await commandOf(events[1], 2026, NO_SHIPMENTS)).toEqual({ fn: 'aggregate', request: { sscc: SSCC, companyPrefixLength: 7, packs: [{ gtin: GTIN, serial: 'H1' }], eventTime: '2026-02-28T11:00:00Z' } });
  });

  it('reports a sensor excursion as a sensorReport and skips versions without a new event', async () => {
    const { mfr, capture, history, ledger } = await setup();
    await capture(mfr, commissioning(['T1']));
    await ledger.submit(mfr, 'trace:recordSensorReport', [JSON.stringify({ packs: [{ gtin: GTIN, serial: 'T1' }], readings: [{ type: 'Temperature', value: 12.5, uom: 'CEL', time: '2026-03-01T07:00:00Z' }] })]);
    const events = (await history(mfr, 'T1')).epcisBody.eventList;
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ bizStep: 'sensor_reporting', disposition: 'non_sellable_other', sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 12.5, uom: 'CEL', time: '2026-03-01T07:00:00Z' }] }] });
    await expect(history(mfr, 'NONE')).rejects.toThrow('PACK_NOT_FOUND');
  });
});
