/**
 * GS1 EPCIS 2.0 end to end: GS1's own example documents (test/data/gs1-epcis) captured through
 * the capture interface, the events read back through the query interface, and every document
 * the API emits validated against GS1's EPCIS 2.0 JSON schema. A real-Fabric journey too
 * (scripts/lib/journeys.js): serials are this run's, so a persistent ledger takes it again.
 */
import { parseSgtinUrn, sgtinUrn } from '@healthledger/contract-api';
import { epcisSchemaErrors, gs1Example, withEpcs, type JsonDoc } from '../epcis/gs1';
import { client, type Json } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('epcis');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const RUN = (Math.floor(Math.random() * 90_000) + 10_000).toString(36);
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const LD = { 'content-type': 'application/ld+json' };

/** The example's EPCs, each mapped to this run's serial of the same product. */
function runEpcs(doc: JsonDoc): Record<string, string> {
  const epcs = [...new Set(JSON.stringify(doc).match(/urn:epc:id:sgtin:[0-9.]+/g) ?? [])];
  return Object.fromEntries(epcs.map((epc) => [epc, `${epc}R${RUN}`]));
}

function packOf(epc: string): { gtin: string; serial: string } {
  const sgtin = parseSgtinUrn(epc);
  if (!sgtin) throw new Error(`not an SGTIN: ${epc}`);
  return { gtin: sgtin.gtin, serial: sgtin.serial };
}

async function ok(res: Promise<{ status: number; body: Json; headers: Headers }>, status: number): Promise<{ body: Json; headers: Headers }> {
  const reply = await res;
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

/** Captures a document and waits for its job to finish; returns the finished job. */
async function capture(user: string, doc: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const accepted = await ok(api.post(user, '/epcis/capture', JSON.stringify(doc), { ...LD, ...headers }), 202);
  const location = accepted.headers.get('location') ?? '';
  expect(location).toBe(`/epcis/capture/${accepted.body.captureID}`);
  for (let polls = 0; polls < 1200; polls++) {
    const job = (await ok(api.get(user, location), 200)).body;
    if (!job.running) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`capture job ${location} still running`);
}

async function query(user: string, params: Record<string, string>): Promise<Json> {
  const { body } = await ok(api.get(user, `/epcis/events?${new URLSearchParams(params).toString()}`), 200);
  expect(epcisSchemaErrors(body)).toEqual([]);
  expect(body).toMatchObject({ type: 'EPCISQueryDocument', epcisBody: { queryResults: { queryName: 'SimpleEventQuery' } } });
  return body.epcisBody.queryResults.resultsBody.eventList;
}

const shipping = withEpcs(gs1Example('Example_9.6.1-ObjectEvent.jsonld'), runEpcs(gs1Example('Example_9.6.1-ObjectEvent.jsonld')));
const sensors = withEpcs(gs1Example('SensorDataExample1.jsonld'), runEpcs(gs1Example('SensorDataExample1.jsonld')));
const persistent = withEpcs(gs1Example('PersistentDisposition-example.jsonld'), runEpcs(gs1Example('PersistentDisposition-example.jsonld')));
const examples = [shipping, sensors, persistent];
const epcsOf = (doc: JsonDoc) => [...new Set(JSON.stringify(doc).match(/urn:epc:id:sgtin:[0-9.]+R[0-9a-z]+/g) ?? [])];

/** A CBV 2.0 commissioning document for every pack the examples name, one event per product. */
function commissioningDocument(): JsonDoc {
  const byGtin = new Map<string, string[]>();
  for (const epc of examples.flatMap(epcsOf)) byGtin.set(packOf(epc).gtin, [...(byGtin.get(packOf(epc).gtin) ?? []), epc]);
  const eventList = [...byGtin.values()].map((epcList) => ({
    type: 'ObjectEvent', eventTime: '2005-04-01T08:00:00.000+01:00', eventTimeZoneOffset: '+01:00', action: 'ADD',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-commissioning', disposition: 'active', epcList, readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
    ilmd: { 'cbvmda:lotNumber': `L${RUN}`, 'cbvmda:itemExpirationDate': '2031-12-31' },
  }));
  return { '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2005-04-01T08:00:00Z', epcisBody: { eventList } };
}

test('GS1 example documents are schema-valid as stored, and the schema refuses bare ilmd keys', () => {
  for (const doc of examples) expect(epcisSchemaErrors(doc)).toEqual([]);
  const bare = commissioningDocument() as Json;
  bare.epcisBody.eventList[0].ilmd = { lotNumber: 'L1', itemExpirationDate: '2031-12-31' };
  expect(epcisSchemaErrors(bare)).not.toEqual([]);
});

test('EPCIS 2.0: GS1 examples captured through /epcis/capture and queried through /epcis/events', async () => {
  for (const gtin of new Set(examples.flatMap(epcsOf).map((epc) => packOf(epc).gtin))) {
    const registered = await api.post('manufacturer1', '/products', {
      gtin, companyPrefixLength: 7, name: 'GS1 example product', strength: '1 mg', dosageForm: 'tablet', packSize: 10, storage: { minCelsius: 2, maxCelsius: 8 },
    });
    expect([201, 409]).toContain(registered.status);
  }
  const commissioning = commissioningDocument();
  expect(epcisSchemaErrors(commissioning)).toEqual([]);
  const commissioned = await capture('manufacturer1', commissioning);
  expect(commissioned).toMatchObject({ running: false, success: true, captureErrorBehaviour: 'rollback', errors: [] });
  expect(commissioned['hl:events'].map((e: Json) => e.operation)).toEqual(['commission', 'commission', 'commission']);

  // GS1 9.6.1: OBSERVE shipping (a po, no new owner) and OBSERVE receiving (a foreign desadv):
  // neither moves custody on this ledger, so both are observations on the packs' history.
  const observed = await capture('manufacturer1', shipping);
  expect(observed).toMatchObject({ success: true, 'hl:events': [{ status: 'committed', operation: 'recordObservation' }, { status: 'committed', operation: 'recordObservation' }] });
  expect(observed['hl:events'][0].eventID).toBe((shipping as Json).epcisBody.eventList[0].eventID);
  // OBSERVE inspecting with temperature (26 °C, outside 2–8 °C) and other sensor readings: a cold-chain report.
  expect((await capture('manufacturer1', sensors))['hl:events']).toMatchObject([{ status: 'committed', operation: 'recordSensorReport' }]);
  // Receiving with inv/po/desadv between parties outside the consortium, then inspecting: observations.
  expect((await capture('manufacturer1', persistent))['hl:events'].map((e: Json) => e.operation)).toEqual(['recordObservation', 'recordObservation']);

  const [epc2017, epc2018] = epcsOf(shipping);
  const events = await query('manufacturer1', { MATCH_epc: epc2018! });
  expect(events.map((e: Json) => e.bizStep)).toEqual(['commissioning', 'shipping', 'receiving']);
  expect(events[0]).toMatchObject({ ilmd: { 'cbvmda:lotNumber': `L${RUN}`, 'cbvmda:itemExpirationDate': '2031-12-31' } });
  expect(events[2]).toMatchObject({
    action: 'OBSERVE', disposition: 'in_progress', readPoint: { id: 'urn:epc:id:sgln:0012345.11111.400' }, bizLocation: { id: 'urn:epc:id:sgln:0012345.11111.0' },
    bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }, { type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
  });
  // One event that named both packs reads back once, with both.
  const shipped = await query('manufacturer1', { MATCH_anyEPC: `${epc2017}|${epc2018}`, EQ_bizStep: 'shipping' });
  expect(shipped).toHaveLength(1);
  expect([...shipped[0].epcList].sort()).toEqual([epc2017, epc2018].sort());
  expect(await query('distributor1', { MATCH_epc: epc2018!, eventType: 'AggregationEvent' })).toEqual([]);
  expect((await query('manufacturer1', { MATCH_epc: epc2018!, GE_eventTime: '2005-04-04T12:00:00Z', LT_eventTime: '2005-04-06T00:00:00Z' })).map((e: Json) => e.bizStep)).toEqual(['receiving']);
  expect((await query('manufacturer1', { MATCH_epc: epc2018!, EQ_bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving', EQ_disposition: 'in_progress' })).map((e: Json) => e.bizStep)).toEqual(['receiving']);
  const sensed = await query('manufacturer1', { MATCH_epc: epcsOf(sensors)[0]! });
  expect(sensed[1]).toMatchObject({ bizStep: 'sensor_reporting', disposition: 'non_sellable_other', sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 26, uom: 'CEL' }] }] });
  expect(await query('manufacturer1', { MATCH_epc: sgtinUrn(packOf(epc2018!).gtin, `NONE${RUN}`, 7) })).toEqual([]);

  // POST /epcis/events takes one event, or a document of one: GS1's document (its id, po and desadv, extension field) with its second event.
  const oneEvent = { ...(shipping as Json), epcisBody: { eventList: [(shipping as Json).epcisBody.eventList[1]] } };
  expect(epcisSchemaErrors(oneEvent)).toEqual([]);
  expect((await ok(api.post('manufacturer1', '/epcis/events', JSON.stringify(oneEvent), LD), 201)).body).toEqual({ operation: 'recordObservation', result: { observed: 1 } });

  const pack = packOf(epcsOf(persistent)[0]!);
  const history = (await ok(api.get('manufacturer1', `/packs/${pack.gtin}/${encodeURIComponent(pack.serial)}/history`), 200)).body;
  expect(epcisSchemaErrors(history)).toEqual([]);
  expect(history.epcisBody.eventList.map((e: Json) => e.bizStep)).toEqual(['commissioning', 'receiving', 'inspecting']);
});

test('EPCIS 2.0: a capture job stops at the event that breaks a ledger rule, naming it; proceed attempts the rest', async () => {
  const [epc] = epcsOf(shipping);
  const inspect = (epcList: string[]) => ({ type: 'ObjectEvent', eventTime: '2005-05-01T08:00:00Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', bizStep: 'inspecting', epcList });
  const missing = sgtinUrn(packOf(epc!).gtin, `NONE${RUN}`, 7);
  const doc = { '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2005-05-01T08:00:00Z', epcisBody: { eventList: [inspect([epc!]), inspect([missing]), inspect([epc!])] } };
  const stopped = await capture('manufacturer1', doc);
  expect(stopped).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'rollback' });
  expect(stopped['hl:events'].map((e: Json) => e.status)).toEqual(['committed', 'failed', 'not_attempted']);
  expect(stopped.errors).toEqual([expect.objectContaining({ code: 'PACK_NOT_FOUND', status: 404, instance: '#/epcisBody/eventList/1' })]);
  const proceeded = await capture('manufacturer1', doc, { 'gs1-capture-error-behaviour': 'proceed' });
  expect(proceeded['hl:events'].map((e: Json) => e.status)).toEqual(['committed', 'failed', 'committed']);
  // Not the holder: the distributor may not record on the manufacturer's pack.
  const foreign = await capture('distributor1', { ...doc, epcisBody: { eventList: [inspect([epc!])] } });
  expect(foreign.errors).toEqual([expect.objectContaining({ code: 'NOT_OWNER', status: 403 })]);
  // A job is its starter's only.
  expect((await api.get('distributor1', `/epcis/capture/${stopped.captureID}`)).status).toBe(404);
});

test('EPCIS 2.0: malformed documents and queries are refused with a stable code', async () => {
  const bare = commissioningDocument() as Json;
  bare.epcisBody.eventList[0].ilmd = { lotNumber: 'L1', itemExpirationDate: '2031-12-31' };
  const refused = await api.post('manufacturer1', '/epcis/capture', JSON.stringify(bare), LD);
  expect(refused.status).toBe(400);
  expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/body/epcisBody/eventList/0/ilmd/lotNumber' }] });
  expect(refused.body.detail).toContain('cbvmda:lotNumber');
  expect((await api.post('manufacturer1', '/epcis/capture', JSON.stringify({ ...bare, '@context': undefined }), LD)).status).toBe(400);
  expect((await api.get('manufacturer1', '/epcis/events?EQ_bizStep=shipping')).body).toMatchObject({ status: 400, code: 'EPCIS_QUERY_TOO_COMPLEX' });
  const [epc] = epcsOf(shipping);
  expect((await api.get('manufacturer1', `/epcis/events?MATCH_epc=${encodeURIComponent(epc!)}&EQ_quantity=3`)).body).toMatchObject({ status: 400, code: 'EPCIS_QUERY_PARAMETER_INVALID' });
  expect((await api.get('manufacturer1', '/epcis/events?MATCH_epc=urn:epc:idpat:sgtin:0614141.107346.*')).body).toMatchObject({ status: 400, code: 'EPCIS_QUERY_TOO_COMPLEX' });
  expect((await api.get('manufacturer1', `/epcis/capture/${'0'.repeat(32)}`)).body).toMatchObject({ status: 404, code: 'CAPTURE_JOB_NOT_FOUND' });
});
