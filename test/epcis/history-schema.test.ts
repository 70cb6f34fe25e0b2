/**
 * Every kind of event the trace contract writes reads back, in a pack's history, as an EPCIS 2.0
 * document GS1's JSON schema accepts: commissioning, packing, shipping, receiving, sensor
 * reports, observations, quarantine and its clearance, recall, dispensing, destruction.
 */
// Quiet the contract API's per-decorator info logging (as the chaincode project's jest setup does).
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'error';
import { gs1CheckDigit, sgtinUrn, ssccUrn } from '@healthledger/contract-api';
import { InMemoryChannel } from '@healthledger/chaincode/testing';
import { TraceContract } from '@healthledger/chaincode/trace/contract';
import { epcisSchemaErrors } from './gs1';

const GTIN = '09506000134352';
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const H = 'Hospital1MSP';
const body = '3' + '0614141' + '000000042';
const SSCC = body + String(gs1CheckDigit(body));
const pack = (serial: string) => ({ gtin: GTIN, serial });

test('pack histories of every event kind validate against the GS1 EPCIS 2.0 JSON schema', async () => {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const pharmacist = await ledger.user(H, 'pharmacist1', { role: 'dispenser' });
  const submit = (who: typeof mfr, fn: string, request: unknown, endorsers?: string[]) => ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {});
  await submit(mfr, 'registerProduct', { gtin: GTIN, companyPrefixLength: 7, name: 'Pen', strength: '40 mg', dosageForm: 'solution', packSize: 2, storage: { minCelsius: 2, maxCelsius: 8 } });
  await submit(mfr, 'captureEpcis', {
    type: 'ObjectEvent', eventTime: '2026-02-28T10:00:00.000+01:00', eventTimeZoneOffset: '+01:00', action: 'ADD', bizStep: 'commissioning', disposition: 'active',
    epcList: ['A', 'B', 'C', 'D'].map((s) => sgtinUrn(GTIN, s, 7)), ilmd: { 'cbvmda:lotNumber': 'LOT-S', 'cbvmda:itemExpirationDate': '2030-01-31' },
  });
  await submit(mfr, 'captureEpcis', { type: 'AggregationEvent', eventTime: '2026-02-28T11:00:00Z', action: 'ADD', bizStep: 'packing', parentID: ssccUrn(SSCC, 7), childEPCs: [sgtinUrn(GTIN, 'A', 7), sgtinUrn(GTIN, 'B', 7)] });
  await submit(mfr, 'recordObservation', { packs: [pack('C')], bizStep: 'urn:epcglobal:cbv:bizstep:inspecting', action: 'OBSERVE', disposition: 'https://ref.gs1.org/cbv/Disp-conformant', bizTransactions: [{ type: 'urn:epcglobal:cbv:btt:po', id: 'urn:epcglobal:cbv:bt:0614141000002:PO-1' }] });
  await submit(mfr, 'recordObservation', { packs: [pack('C')], action: 'OBSERVE' });
  await submit(mfr, 'recordObservation', { packs: [pack('D')], bizStep: 'https://example.org/hc/bizstep/ward_round', action: 'ADD' });
  await submit(mfr, 'ship', { shipmentId: 'S1', to: D, containers: [SSCC], packs: [pack('C'), pack('D')], transactionDate: '2026-03-01', transactionStatement: { attested: true } });
  await submit(dist, 'receive', { shipmentId: 'S1', containers: [SSCC], packs: [pack('C'), pack('D')] }, [M, D]);
  await submit(dist, 'disaggregate', { sscc: SSCC });
  await submit(dist, 'recordSensorReport', { packs: [pack('A')], readings: [{ type: 'Temperature', value: 12, uom: 'CEL', time: '2026-03-01T12:00:00Z' }] });
  await submit(dist, 'quarantine', { packs: [pack('B')], reason: 'suspect_counterfeit' });
  await submit(mfr, 'clearQuarantine', { ...pack('B'), reason: 'cleared' }, [M, D]);
  await submit(dist, 'ship', { shipmentId: 'S2', to: H, packs: [pack('C')], transactionDate: '2026-03-02', transactionStatement: { attested: true } });
  await submit(pharmacist, 'receive', { shipmentId: 'S2', packs: [pack('C')] }, [D, H]);
  await submit(pharmacist, 'dispense', pack('C'));
  await submit(dist, 'destroy', { packs: [pack('A')], reason: 'temperature_excursion' });
  await submit(mfr, 'recallLot', { gtin: GTIN, lot: 'LOT-S', reason: 'contamination' }, [M, D, H]);

  const steps = new Set<string>();
  for (const serial of ['A', 'B', 'C', 'D']) {
    const doc = JSON.parse(await ledger.evaluate(mfr, 'trace:packHistory', [JSON.stringify(pack(serial))]));
    expect({ serial, errors: epcisSchemaErrors(doc) }).toEqual({ serial, errors: [] });
    for (const event of doc.epcisBody.eventList) steps.add(`${event.type} ${event.bizStep ?? '(none)'}`);
  }
  expect([...steps].sort()).toEqual([
    'AggregationEvent packing', 'AggregationEvent unpacking', 'ObjectEvent commissioning', 'ObjectEvent destroying', 'ObjectEvent dispensing', 'ObjectEvent hl:recalling',
    'ObjectEvent holding', 'ObjectEvent https://example.org/hc/bizstep/ward_round', 'ObjectEvent inspecting', 'ObjectEvent receiving', 'ObjectEvent sensor_reporting',
    'ObjectEvent shipping', 'ObjectEvent (none)',
  ].sort());
});
