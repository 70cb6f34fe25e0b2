/**
 * GS1's example documents against the trace contract directly (no network): the richest one,
 * GS1's ObjectEvent with every field, is refused for its errorDeclaration only (the ledger does
 * not correct recorded events) and captured once that is removed — extension fields, quantity
 * lists, certification info, persistent dispositions and foreign parties accepted and ignored,
 * its temperature reading recorded. GS1's query document example checks the validator itself.
 */
// Quiet the contract API's per-decorator info logging (as the chaincode project's jest setup does).
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'error';
import { parseSgtinUrn } from '@healthledger/contract-api';
import { InMemoryChannel } from '@healthledger/chaincode/testing';
import { TraceContract } from '@healthledger/chaincode/trace/contract';
import { epcisSchemaErrors, gs1Example } from './gs1';

test('GS1 example documents validate against the schema, which is strict enough to refuse a broken one', () => {
  for (const name of ['object_event_all_possible_fields.jsonld', 'EPCISQueryDocument.jsonld', 'Example_9.6.1-ObjectEvent.jsonld', 'SensorDataExample1.jsonld', 'PersistentDisposition-example.jsonld']) {
    expect({ name, errors: epcisSchemaErrors(gs1Example(name)) }).toEqual({ name, errors: [] });
  }
  const query = gs1Example('EPCISQueryDocument.jsonld');
  expect(epcisSchemaErrors({ ...query, epcisBody: {} })).not.toEqual([]);
});

test("GS1's every-field ObjectEvent: refused for its errorDeclaration, captured without it", async () => {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user('ManufacturerMSP', 'manufacturer1', { role: 'manufacturer' });
  const doc = gs1Example('object_event_all_possible_fields.jsonld') as { epcisBody: { eventList: Record<string, unknown>[] } };
  const event = doc.epcisBody.eventList[0]!;
  const epc = (event['epcList'] as string[])[0]!;
  const { gtin, serial } = parseSgtinUrn(epc)!;
  await ledger.submit(mfr, 'trace:registerProduct', [JSON.stringify({ gtin, companyPrefixLength: 7, name: 'Example', strength: '1 mg', dosageForm: 'tablet', packSize: 1, storage: { minCelsius: 2, maxCelsius: 8 } })]);
  await ledger.submit(mfr, 'trace:commission', [JSON.stringify({ gtin, lot: 'ABC123', expiry: '2030-01-31', serials: [serial] })]);

  await expect(ledger.submit(mfr, 'trace:captureEpcis', [JSON.stringify(doc)])).rejects.toThrow('EPCIS_EVENT_UNSUPPORTED: The ledger does not record this kind of EPCIS event: errorDeclaration');
  const { errorDeclaration: _declared, ...corrected } = event;
  const captured = JSON.parse(await ledger.submit(mfr, 'trace:captureEpcis', [JSON.stringify({ ...doc, epcisBody: { eventList: [corrected] } })]));
  expect(captured).toMatchObject({ operation: 'recordSensorReport', result: { readings: 1 } });
  const history = JSON.parse(await ledger.evaluate(mfr, 'trace:packHistory', [JSON.stringify({ gtin, serial })]));
  expect(epcisSchemaErrors(history)).toEqual([]);
});
