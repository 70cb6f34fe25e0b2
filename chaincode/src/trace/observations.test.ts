import { InMemoryChannel, type TestIdentity } from '../testing';
import { TraceContract } from './contract';
import { sgtinUrn } from '@healthledger/contract-api';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Adalimumab pen', strength: '40 mg', dosageForm: 'solution for injection', packSize: 2, storage: { minCelsius: 2, maxCelsius: 8 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const sgtin = (serial: string) => sgtinUrn(GTIN, serial, 7);

const inspecting = (serials: string[]) => ({
  type: 'ObjectEvent', eventTime: '2026-03-01T10:00:00.000+01:00', eventTimeZoneOffset: '+01:00', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant',
  epcList: serials.map(sgtin), readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }], 'example:myField': 'kept out of the ledger',
});

async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const auditor = await ledger.user(M, 'auditor1', { role: 'auditor' });
  const capture = async (who: TestIdentity, event: unknown) => JSON.parse(await ledger.submit(who, 'trace:captureEpcis', [JSON.stringify(event)]));
  const history = async (serial: string) => JSON.parse(await ledger.evaluate(mfr, 'trace:packHistory', [JSON.stringify({ gtin: GTIN, serial })]));
  await ledger.submit(mfr, 'trace:registerProduct', [JSON.stringify(PRODUCT)]);
  await ledger.submit(mfr, 'trace:commission', [JSON.stringify({ gtin: GTIN, lot: 'LOT-O', expiry: '2030-01-31', serials: ['O1', 'O2', 'O3'] })]);
  return { ledger, mfr, dist, auditor, capture, history };
}

describe('EPCIS observations', () => {
  it('records an event the ledger does not act on in the history of each pack, as captured', async () => {
    const { ledger, mfr, capture, history } = await setup();
    const before = JSON.parse(await ledger.evaluate(mfr, 'trace:getPack', [JSON.stringify({ gtin: GTIN, serial: 'O1' })]));
    expect(await capture(mfr, inspecting(['O1', 'O2']))).toEqual({ operation: 'recordObservation', result: { observed: 2 } });
    const events = (await history('O2')).epcisBody.eventList;
    expect(events.map((e: { bizStep: string }) => e.bizStep)).toEqual(['commissioning', 'inspecting']);
    expect(events[1]).toMatchObject({
      type: 'ObjectEvent', action: 'OBSERVE', disposition: 'conformant', eventTime: '2026-03-01T10:00:00.000+01:00', eventTimeZoneOffset: '+01:00',
      epcList: [sgtin('O2')], readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' }, bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }],
    });
    expect(JSON.stringify(events)).not.toContain('example:myField');
    // The pack itself is unchanged: an observation is history, not state.
    const after = JSON.parse(await ledger.evaluate(mfr, 'trace:getPack', [JSON.stringify({ gtin: GTIN, serial: 'O1' })]));
    const { event: _e1, updatedBy: _u1, ...was } = before;
    const { event: _e2, updatedBy: _u2, ...is } = after;
    expect(is).toEqual(was);
  });

  it('is also a transaction of its own, behind the holder gate', async () => {
    const { ledger, mfr, auditor, history } = await setup();
    const request = { packs: [{ gtin: GTIN, serial: 'O3' }], bizStep: 'https://ref.gs1.org/cbv/BizStep-cycle_counting', action: 'OBSERVE' };
    expect(JSON.parse(await ledger.submit(mfr, 'trace:recordObservation', [JSON.stringify(request)]))).toEqual({ observed: 1 });
    expect((await history('O3')).epcisBody.eventList[1]).toMatchObject({ bizStep: 'cycle_counting', disposition: 'active' });
    await expect(ledger.submit(auditor, 'trace:recordObservation', [JSON.stringify(request)])).rejects.toThrow('ROLE_FORBIDDEN');
  });

  it('records CBV terms as EPCIS 2.0 JSON spells them, user vocabularies as URIs, and refuses other words', async () => {
    const { ledger, mfr, capture, history } = await setup();
    const event = { ...inspecting(['O1']), bizStep: 'urn:epcglobal:cbv:bizstep:inspecting', disposition: 'https://ref.gs1.org/cbv/Disp-conformant', bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:inv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000002:INV-1' }] };
    await capture(mfr, event);
    await capture(mfr, { ...inspecting(['O1']), bizStep: 'https://example.org/hc/bizstep/ward_round', disposition: undefined, bizTransactionList: undefined });
    const { bizStep: _none, ...unnamed } = inspecting(['O1']);
    await capture(mfr, unnamed);
    const events = (await history('O1')).epcisBody.eventList;
    expect(events[1]).toMatchObject({ bizStep: 'inspecting', disposition: 'conformant', bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000002:INV-1' }] });
    expect(events[2]).toMatchObject({ bizStep: 'https://example.org/hc/bizstep/ward_round' });
    expect(events[3]).not.toHaveProperty('bizStep');
    const observe = (fields: object) => ledger.submit(mfr, 'trace:recordObservation', [JSON.stringify({ packs: [{ gtin: GTIN, serial: 'O1' }], action: 'OBSERVE', ...fields })]);
    await expect(observe({ bizStep: 'wandering' })).rejects.toThrow('request/bizStep: wandering is neither a GS1 CBV 2.0 term nor a URI');
    await expect(observe({ bizStep: 'urn:epcglobal:cbv:bizstep:wandering' })).rejects.toThrow('VALIDATION_FAILED');
    await expect(observe({ disposition: 'fine' })).rejects.toThrow('request/disposition');
    await expect(observe({ bizTransactions: [{ type: 'po', id: 'PO-1' }] })).rejects.toThrow('request/bizTransactions/0/id: is not a URI');
  });

  it('refuses an observation that breaks a ledger rule, naming it', async () => {
    const { ledger, mfr, dist, capture } = await setup();
    await expect(capture(dist, inspecting(['O1']))).rejects.toThrow(`NOT_OWNER: Only the current owner may do this: ${GTIN}/O1`);
    await expect(capture(mfr, inspecting(['NOPE']))).rejects.toThrow(`PACK_NOT_FOUND: No such pack: ${GTIN}/NOPE`);
    await expect(capture(mfr, { ...inspecting([]), epcList: ['urn:epc:id:giai:4000001.111'] })).rejects.toThrow('request/epcList/0: not an SGTIN or SSCC');
    await expect(capture(mfr, { ...inspecting([]), epcList: [], quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200 }] })).rejects.toThrow('EPCIS_EVENT_UNSUPPORTED');
    await ledger.submit(mfr, 'trace:destroy', [JSON.stringify({ packs: [{ gtin: GTIN, serial: 'O2' }], reason: 'damaged' })]);
    await expect(capture(mfr, inspecting(['O2']))).rejects.toThrow(`PACK_ILLEGAL_STATE: The pack status does not allow this action: ${GTIN}/O2 is destroyed`);
  });
});
