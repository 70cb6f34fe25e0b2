/**
 * The authorization matrix: routes × every demo user (every role, own and foreign organisation)
 * → the status code, through HTTP on the devnet. Expectations restate the callers each
 * contract's TSDoc names; the chaincode decides, the gateway only maps its answer.
 */
import { client, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
const PATIENT1 = 'pt-0c5f1a9e';
let recordId: string;
let consentId: string;

interface Caller {
  name: string;
  role: string;
  mspId: string;
}
let users: Caller[];

const PROVIDERS = ['Hospital1MSP', 'Hospital2MSP'];
const isPatient1 = (u: Caller) => u.name === 'patient1';

beforeAll(async () => {
  net = await startE2e('authz');
  api = client(net);
  users = net.devnet.descriptor.orgs.flatMap((o) => o.users.map((u) => ({ name: u.name, role: u.role, mspId: o.mspId })));
  recordId = uid('rec');
  consentId = uid('cns');
  const ok = (status: number, expected: number, what: string) => {
    if (status !== expected) throw new Error(`fixture ${what}: ${status}`);
  };
  ok((await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'clinical-note', content: { note: 'x' } })).status, 201, 'record');
  ok(
    (
      await api.post('patient1', '/consents', {
        consentId, patientRef: PATIENT1, grantee: { org: 'Hospital2MSP' }, period: { start: '2020-01-01' },
        provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
      })
    ).status,
    201,
    'consent',
  );
  ok(
    (
      await api.post('adjudicator1', '/coverages', {
        coverageId: 'cov-m', patientRef: PATIENT1, planId: 'p', period: { start: '2020-01-01', end: '2099-12-31' }, currency: 'USD',
        deductible: 0, copay: 0, coinsuranceBps: 0, outOfPocketMax: 1000, benefits: [{ system: 'CPT', code: '99213' }],
      })
    ).status,
    201,
    'coverage',
  );
  ok(
    (
      await api.post('billing1', '/claims', {
        claimId: 'cl-m', patientRef: PATIENT1, payer: 'InsurerMSP', coverageId: 'cov-m', serviceDate: '2026-01-05', currency: 'USD',
        items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 100 }], total: 100,
        detail: { nonce: 'n0nce-0123456789abcdefghij', diagnoses: [{ sequence: 1, code: 'J45.909' }] },
      })
    ).status,
    201,
    'claim',
  );
}, 180_000);
afterAll(async () => net?.stop());

const recordReader = (u: Caller) => u.role === 'auditor' || ((u.role === 'clinician' || u.role === 'records-admin') && PROVIDERS.includes(u.mspId)) || isPatient1(u);

/** route → (caller → expected status). Writes use fresh ids per caller. */
const MATRIX: { name: string; call: (u: Caller) => Promise<number>; expect: (u: Caller) => number }[] = [
  { name: 'GET record metadata', call: async (u) => (await api.get(u.name, `/records/${recordId}`)).status, expect: (u) => (recordReader(u) ? 200 : 403) },
  { name: "GET a patient's records", call: async (u) => (await api.get(u.name, `/patients/${PATIENT1}/records`)).status, expect: (u) => (recordReader(u) ? 200 : 403) },
  { name: 'GET content without a logged access', call: async (u) => (await api.get(u.name, `/records/${recordId}/content`)).status, expect: () => 403 },
  {
    name: 'GET consent',
    call: async (u) => (await api.get(u.name, `/consents/${consentId}`)).status,
    expect: (u) => (isPatient1(u) || u.role === 'auditor' || (u.mspId === 'Hospital2MSP' && u.role !== 'patient') ? 200 : 403),
  },
  { name: "GET a patient's consents", call: async (u) => (await api.get(u.name, `/patients/${PATIENT1}/consents`)).status, expect: (u) => (isPatient1(u) || u.role === 'auditor' ? 200 : 403) },
  {
    name: 'GET coverage',
    call: async (u) => (await api.get(u.name, '/coverages/cov-m')).status,
    expect: (u) => ((u.role === 'adjudicator' && u.mspId === 'InsurerMSP') || (u.role === 'billing' && PROVIDERS.includes(u.mspId)) || isPatient1(u) || u.role === 'auditor' ? 200 : 403),
  },
  {
    name: 'GET claim',
    call: async (u) => (await api.get(u.name, '/claims/cl-m')).status,
    expect: (u) =>
      (u.role === 'billing' && u.mspId === 'Hospital1MSP') || (u.role === 'adjudicator' && u.mspId === 'InsurerMSP') || isPatient1(u) ||
      (u.role === 'auditor' && ['Hospital1MSP', 'InsurerMSP'].includes(u.mspId))
        ? 200
        : 403,
  },
  {
    name: 'POST record',
    call: async (u) => (await api.post(u.name, '/records', { recordId: uid('rec'), patientRef: PATIENT1, category: 'other', content: { x: 1 } })).status,
    expect: (u) => ((u.role === 'clinician' || u.role === 'records-admin') && PROVIDERS.includes(u.mspId) ? 201 : 403),
  },
  {
    name: 'POST emergency',
    call: async (u) => (await api.post(u.name, '/emergencies', { emergencyId: uid('em'), patientRef: PATIENT1, reasonCode: 'other', durationMinutes: 5 })).status,
    expect: (u) => (u.role === 'clinician' && PROVIDERS.includes(u.mspId) ? 201 : 403),
  },
  {
    name: 'GET unreviewed emergencies',
    call: async (u) => (await api.get(u.name, '/emergencies/unreviewed')).status,
    expect: (u) => (['auditor', 'records-admin'].includes(u.role) ? 200 : 403),
  },
  { name: "GET a patient's delegates", call: async (u) => (await api.get(u.name, `/patients/${PATIENT1}/delegates`)).status, expect: (u) => (isPatient1(u) || u.role === 'auditor' ? 200 : 403) },
  {
    name: "GET a patient's disclosures",
    call: async (u) => (await api.get(u.name, `/patients/${PATIENT1}/disclosures?from=2020-01-01&to=2100-01-01`)).status,
    expect: (u) => (isPatient1(u) || ['auditor', 'records-admin'].includes(u.role) ? 200 : 403),
  },
  {
    name: 'GET record history',
    call: async (u) => (await api.get(u.name, `/audit/history/record/${recordId}`)).status,
    expect: (u) => (u.role === 'auditor' || (u.mspId === 'Hospital1MSP' && u.role !== 'patient') || isPatient1(u) ? 200 : 403),
  },
  { name: 'POST access preview (any identity)', call: async (u) => (await api.post(u.name, `/records/${recordId}/access-check`, { purpose: 'TREAT' })).status, expect: () => 200 },
  { name: 'POST access request (any identity; denials are logged)', call: async (u) => (await api.post(u.name, `/records/${recordId}/access`, { purpose: 'TREAT' })).status, expect: () => 201 },
  { name: 'POST ledger verification', call: async (u) => (await api.post(u.name, '/ledger/verification', {})).status, expect: (u) => (['auditor', 'admin'].includes(u.role) ? 200 : 403) },
  { name: 'GET webhooks (event subscriptions)', call: async (u) => (await api.get(u.name, '/webhooks')).status, expect: (u) => (u.role === 'patient' ? 403 : 200) },
];

test('every route × every role × own/foreign organisation', async () => {
  const mismatches: string[] = [];
  let checked = 0;
  for (const route of MATRIX) {
    for (const user of users) {
      const [actual, expected] = [await route.call(user), route.expect(user)];
      checked++;
      if (actual !== expected) mismatches.push(`${route.name} as ${user.name} (${user.role}@${user.mspId}): ${actual}, expected ${expected}`);
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBe(MATRIX.length * users.length);
  expect(users.length).toBeGreaterThanOrEqual(20);
}, 300_000);
