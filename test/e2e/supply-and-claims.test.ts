/**
 * A drug from commissioning through shipping, receipt and dispensing to a claim line; the claim
 * through auto- and manual adjudication to payment and appeal; then recall and quarantine.
 */
import { gs1CheckDigit, sgtinUrn } from '@healthledger/contract-api';
import { client, type Json } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('supply');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

// Ids unique to this run, so the journey also runs again on a persistent ledger (npm run
// test:fabric runs it after deploy and again after upgrade).
const RUN_NUMBER = Math.floor(Math.random() * 90_000) + 10_000;
const RUN = RUN_NUMBER.toString(36);
const gtinBody = `09506000${String(RUN_NUMBER).padStart(5, '0')}`;
const GTIN = gtinBody + String(gs1CheckDigit(gtinBody));
const NDC = '00002143380';
const PATIENT = 'pt-0c5f1a9e';
const LOT = `L${RUN}`;
const sscc = (n: number) => {
  const body = `00614141${String(RUN_NUMBER * 10 + n).padStart(9, '0')}`;
  return body + String(gs1CheckDigit(body));
};
/** A past service date of this run, within the coverage period: duplicate detection compares patient, provider, date and codes. */
const serviceDate = (offset: number) => new Date(Date.UTC(2020, 0, 1) + ((RUN_NUMBER * 3 + offset) % 2000) * 86_400_000).toISOString().slice(0, 10);
const id = (name: string) => `${name}-${RUN}`;
const pack = (serial: string) => ({ gtin: GTIN, serial });
const statement = { attested: true as const };

/** The answer of a typed call, once its status is the one expected. */
async function ok<T>(res: Promise<{ response: Response; data?: T; error?: unknown }>, status: number): Promise<T> {
  const { response, data, error } = await res;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(error ?? data)}`);
  return data as T;
}

/** The serials of this run's lot a user's organisation holds, a page of one at a time. */
async function holdingsOf(user: string): Promise<string[]> {
  const serials: string[] = [];
  for (let cursor: string | undefined, pages = 0; pages === 0 || (cursor !== undefined && pages < 20); pages++) {
    const page = await ok(api.as(user).GET('/holdings', { params: { query: { gtin: GTIN, lot: LOT, limit: 1, ...(cursor ? { cursor } : {}) } } }), 200);
    if (!('items' in page)) throw new Error(`a page of holdings, not ${JSON.stringify(page)}`);
    serials.push(...page.items.map((h) => h.serial));
    cursor = page.nextCursor;
  }
  return serials.sort();
}

test('drug: commission → aggregate → ship → receive → ship → receive → dispense → claim → recall, quarantine', async () => {
  await ok(
    api.as('manufacturer1').POST('/products', {
      body: {
        gtin: GTIN, companyPrefixLength: 7, name: 'Insulin glargine pen', strength: '100 U/mL', dosageForm: 'solution for injection', packSize: 5,
        storage: { minCelsius: 2, maxCelsius: 8 },
      },
    }),
    201,
  );
  const bulk = await ok(api.as('manufacturer1').POST('/packs/commission-bulk', { body: { gtin: GTIN, lot: LOT, expiry: '2030-06-30', range: { prefix: 'P', start: 1, count: 8 } } }), 201);
  expect(bulk).toMatchObject({ total: 8, done: 8 });
  await ok(api.as('manufacturer1').POST('/containers', { body: { sscc: sscc(1), packs: [pack('P5'), pack('P6')] } }), 201);
  const toDistributor = [pack('P1'), pack('P2'), pack('P3'), pack('P4')];
  await ok(
    api.as('manufacturer1').POST('/shipments', {
      body: { shipmentId: id('S1'), to: 'DistributorMSP', packs: toDistributor, containers: [sscc(1)], transactionDate: '2026-03-01', transactionStatement: statement },
    }),
    201,
  );
  await ok(api.as('distributor1').POST('/shipments/{shipmentId}/receipt', { params: { path: { shipmentId: id('S1') } }, body: { packs: toDistributor, containers: [sscc(1)] } }), 200);
  await ok(
    api.as('distributor1').POST('/shipments', { body: { shipmentId: id('S2'), to: 'Hospital1MSP', packs: toDistributor, transactionDate: '2026-03-02', transactionStatement: statement } }),
    201,
  );
  await ok(api.as('pharmacist1').POST('/shipments/{shipmentId}/receipt', { params: { path: { shipmentId: id('S2') } }, body: { packs: toDistributor } }), 200);
  // Custody indexes: the commissioning batch still lists P7 and P8 for the manufacturer, the moved
  // packs are listed under their new owners; a page of one ends inside the batch.
  expect(await holdingsOf('manufacturer1')).toEqual(['P7', 'P8']);
  expect(await holdingsOf('distributor1')).toEqual(['P5', 'P6']);
  const holders = await ok(api.as('manufacturer1').GET('/products/{gtin}/lots/{lot}/holders', { params: { path: { gtin: GTIN, lot: LOT } } }), 200);
  expect(holders.holders.map((h) => [h.owner, h.packs]).sort()).toEqual([['DistributorMSP', 2], ['Hospital1MSP', 4], ['ManufacturerMSP', 2]]);
  await ok(api.as('pharmacist1').POST('/packs/{gtin}/{serial}/dispense', { params: { path: pack('P1') }, body: {} }), 200);
  const verified = await ok(api.as('pharmacist1').POST('/verifications', { body: pack('P1') }), 200);
  expect(verified).toMatchObject({ authentic: true, status: 'dispensed', dispensable: false });

  // Coverage and claims: a drug line naming the dispensed pack, auto-adjudicated and paid.
  await ok(
    api.as('adjudicator1').POST('/coverages', {
      body: {
        coverageId: id('cov'), patientRef: PATIENT, planId: id('gold'), period: { start: '2020-01-01', end: '2099-12-31' }, currency: 'USD',
        deductible: 0, copay: 0, coinsuranceBps: 0, outOfPocketMax: 100_000, autoAdjudicationLimit: 50_000,
        benefits: [{ system: 'CPT', code: '99213' }, { system: 'NDC', code: NDC }, { system: 'CPT', code: '99214', manualReview: true }],
      },
    }),
    201,
  );
  const detail = { nonce: 'n0nce-0123456789abcdefghij', diagnoses: [{ sequence: 1, code: 'E11.9' }] };
  const claim = {
    claimId: id('cl-1'), patientRef: PATIENT, payer: 'InsurerMSP', coverageId: id('cov'), serviceDate: serviceDate(0), currency: 'USD',
    items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 10_000 }, { system: 'NDC', code: NDC, quantity: 1, unitPrice: 5_000, sgtin: pack('P1') }],
    total: 15_000, detail,
  };
  const submission = await api.as('billing1').POST('/claims', { body: { ...claim, items: [{ ...claim.items[0]!, system: 'CPT' }, { ...claim.items[1]!, system: 'NDC' }] } });
  expect(submission.response.status).toBe(201);
  expect(submission.response.headers.get('location')).toBe(`/claims/${id('cl-1')}`);
  const submitted = submission.data as Json;
  expect(submitted.status).toBe('approved');
  expect(JSON.stringify(submitted)).not.toContain('E11.9');
  const claimPath = { params: { path: { claimId: id('cl-1') } } };
  const gotDetail = await ok(api.as('adjudicator1').GET('/claims/{claimId}/detail', claimPath), 200);
  expect(gotDetail.detail.diagnoses).toEqual([{ sequence: 1, code: 'E11.9' }]);
  const benefit = (await ok(api.as('adjudicator1').GET('/claims/{claimId}', claimPath), 200)).adjudication!.current!.totals.benefit;
  await ok(api.as('adjudicator1').POST('/claims/{claimId}/payment', { ...claimPath, body: { amount: benefit, currency: 'USD', reference: 'eft-1' } }), 200);
  const paid = await api.as('billing1').GET('/claims', { params: { query: { status: 'paid' } } });
  expect(paid.response.status).toBe(200);
  expect((paid.data?.items ?? []).map((c: Json) => c.claimId)).toContain(id('cl-1'));
  // The status filter is optional: every claim of the caller's organisation, page by page.
  const every: string[] = [];
  for (let cursor: string | undefined, pages = 0; pages === 0 || (cursor !== undefined && pages < 50); pages++) {
    const page = await api.as('billing1').GET('/claims', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } });
    expect(page.response.status).toBe(200);
    every.push(...(page.data?.items ?? []).map((c: Json) => c.claimId as string));
    cursor = page.data?.nextCursor;
  }
  expect(every).toContain(id('cl-1'));
  // The same pack cannot be billed twice.
  const again = await api.post('billing1', '/claims', { ...claim, claimId: id('cl-dup'), items: [claim.items[1]], total: 5_000 });
  expect(again.status).toBe(409);

  // Manual adjudication: a code under manual review is pended, denied, appealed, re-adjudicated.
  const pended = await ok(
    api.as('billing1').POST('/claims', {
      body: { ...claim, claimId: id('cl-2'), serviceDate: serviceDate(1), items: [{ system: 'CPT', code: '99214', quantity: 1, unitPrice: 20_000 }], total: 20_000 },
    }),
    201,
  );
  expect(pended.status).toBe('pended');
  const second = { params: { path: { claimId: id('cl-2') } } };
  await ok(api.as('adjudicator1').POST('/claims/{claimId}/adjudication', { ...second, body: { decision: 'deny', reasons: ['INFO_MISSING'] } }), 200);
  await ok(api.as('billing1').POST('/claims/{claimId}/appeals', { ...second, body: { reason: 'ADDITIONAL_INFORMATION' } }), 201);
  const reAdjudicated = await ok(api.as('adjudicator1').POST('/claims/{claimId}/adjudication', { ...second, body: { decision: 'approve' } }), 200);
  expect(reAdjudicated.status).toBe('approved');
  // An illegal transition is a 409 problem.
  const illegal = await api.as('billing1').POST('/claims/{claimId}/appeals', { ...claimPath, body: { reason: 'OTHER' } });
  expect([illegal.response.status, illegal.error?.code]).toEqual([409, 'CLAIM_ILLEGAL_TRANSITION']);

  // Recall the lot; quarantine a suspect pack at the pharmacy.
  const recall = await ok(api.as('manufacturer1').POST('/recalls', { body: { gtin: GTIN, lot: LOT, reason: 'contamination' } }), 201);
  expect(recall).toMatchObject({ gtin: GTIN, lot: LOT, remaining: 0 });
  expect(await ok(api.as('pharmacist1').POST('/verifications', { body: pack('P2') }), 200)).toMatchObject({ recalled: true, disposition: 'recalled', dispensable: false });
  expect(await ok(api.as('pharmacist1').POST('/quarantines', { body: { packs: [pack('P3')], reason: 'suspect_counterfeit' } }), 201)).toEqual({ quarantined: 1 });
  const dispenseQuarantined = await api.as('pharmacist1').POST('/packs/{gtin}/{serial}/dispense', { params: { path: pack('P3') }, body: {} });
  expect(dispenseQuarantined.response.status).toBe(409);
  const history = await ok(api.as('pharmacist1').GET('/packs/{gtin}/{serial}/history', { params: { path: pack('P1') } }), 200);
  expect(history.type).toBe('EPCISDocument');
  expect(history.epcisBody.eventList.map((e) => e['bizStep'])).toEqual(expect.arrayContaining(['commissioning', 'dispensing']));
});

test('EPCIS 2.0: a one-event EPCISDocument posted as JSON-LD commissions packs', async () => {
  const document = {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-02-28T10:00:00Z',
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent', eventTime: '2026-02-28T10:00:00.000+01:00', eventTimeZoneOffset: '+01:00', action: 'ADD',
          bizStep: 'urn:epcglobal:cbv:bizstep:commissioning', disposition: 'active', epcList: ['E1', 'E2'].map((s) => sgtinUrn(GTIN, s, 7)),
          readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' }, ilmd: { 'cbvmda:lotNumber': 'LOT-E', 'cbvmda:itemExpirationDate': '2030-03-31' },
        },
      ],
    },
  };
  // Raw: the typed client sends application/json, and this is the JSON-LD media type.
  const captured = await api.post('manufacturer1', '/epcis/events', JSON.stringify(document), { 'content-type': 'application/ld+json' });
  expect(captured.status).toBe(201);
  expect(captured.body).toMatchObject({ operation: expect.stringMatching(/commission/) });
  const pack = await ok(api.as('manufacturer1').GET('/packs/{gtin}/{serial}', { params: { path: { gtin: GTIN, serial: 'E2' } } }), 200);
  expect(pack).toMatchObject({ lot: 'LOT-E', expiry: '2030-03-31', status: 'active' });
});
