/**
 * Bad input, generated (fast-check), against every route: malformed bodies, ids, query strings
 * and headers must always be answered with a 4xx problem+json — never a 5xx — and must never
 * change the ledger.
 */
import fc from 'fast-check';
import { AUDIT_ROUTES } from '@healthledger/gateway/routes/contracts/audit';
import { CLAIM_ROUTES } from '@healthledger/gateway/routes/contracts/claims';
import { CONSENT_ROUTES } from '@healthledger/gateway/routes/contracts/consent';
import type { Route as ContractRoute } from '@healthledger/gateway/routes/contracts/operation';
import { RECORD_ROUTES } from '@healthledger/gateway/routes/contracts/records';
import { TRACE_ROUTES } from '@healthledger/gateway/routes/contracts/trace';
import { client, researchConsent, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  // A network of its own: its "good" ids ('1', 'rec-1', …) must not exist on the ledger, so that a
  // request whose only fault is in the query string still fails (docs/testing.md).
  net = await startE2e('malformed');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

interface Route {
  method: string;
  url: string;
  hasBody: boolean;
}

const OTHER_ROUTES: Route[] = [
  { method: 'POST', url: '/packs/commission-bulk', hasBody: true },
  { method: 'GET', url: '/ledger/blocks/:number', hasBody: false },
  { method: 'GET', url: '/ledger/transactions/:txId', hasBody: false },
  { method: 'POST', url: '/ledger/verification', hasBody: true },
  { method: 'POST', url: '/offline/proposals', hasBody: true },
  { method: 'POST', url: '/offline/proposals/endorsement', hasBody: true },
  { method: 'POST', url: '/offline/transactions/submission', hasBody: true },
  { method: 'POST', url: '/offline/commits/status', hasBody: true },
  { method: 'POST', url: '/webhooks', hasBody: true },
  { method: 'DELETE', url: '/webhooks/:id', hasBody: false },
  { method: 'POST', url: '/dev/token', hasBody: true },
];
const ROUTES: Route[] = [
  ...[...RECORD_ROUTES, ...CONSENT_ROUTES, ...CLAIM_ROUTES, ...TRACE_ROUTES, ...AUDIT_ROUTES].map((op: ContractRoute) => ({
    method: op.method,
    url: op.url,
    hasBody: op.method !== 'GET' && op.method !== 'DELETE',
  })),
  ...OTHER_ROUTES,
];

/** Path segments no route accepts as an id: spaces, control characters, overlong, symbols. */
const badId = fc.oneof(
  fc.constantFrom(' ', '..', '%00', '-leading-dash', 'a'.repeat(300), '<script>', "' OR 1=1 --", '\u202e', '😀'),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => `!${s}`),
);
const goodishId = fc.constantFrom('rec-1', 'pt-0c5f1a9e', '09506000134352', '1', 'a'.repeat(64));
/** A JSON body that cannot be valid: not an object, or an object with a field no schema has. */
const badBody = fc.oneof(
  fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 })).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.anything(), { maxKeys: 4 }).map((o) => JSON.stringify({ ...o, zz_unknown_field: 1 })),
  fc.constantFrom('{', '{"a":', '[1,', '\u0000', '{"__proto__":{"polluted":true}}x', 'null null'),
);
const badQuery = fc.oneof(
  fc.constantFrom('zz_unknown=1', 'limit=-1', 'limit=abc', 'limit=1000', 'cursor=%ZZ', 'cursor=forged'),
  fc.string({ maxLength: 12 }).map((s) => `zz_${encodeURIComponent(s)}=1`),
);

function fill(url: string, id: string, good: string, badIndex: number): string {
  let i = 0;
  return url.replace(/:(\w+)/g, () => encodeURIComponent(i++ === badIndex ? id : good));
}

async function ledgerHeight(): Promise<string> {
  return (await api.get('auditor1', '/ledger')).body.height as string;
}

function expectClientError(res: { status: number; headers: Headers; body: unknown }, what: string): void {
  if (res.status < 400 || res.status >= 500) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), type: expect.stringMatching(/^urn:healthledger:problem:/) });
}

test('every route answers malformed input with 4xx problem+json and the ledger does not change', async () => {
  const before = await ledgerHeight();
  for (const route of ROUTES) {
    const params = (route.url.match(/:\w+/g) ?? []).length;
    await fc.assert(
      fc.asyncProperty(badId, goodishId, badBody, badQuery, fc.nat(3), async (id, good, body, query, pick) => {
        const hasBadParam = params > 0 && pick % 2 === 0;
        const url = fill(route.url, id, good, hasBadParam ? pick % params : -1);
        const target = route.hasBody ? url : `${url}?${query}`;
        const res = await api.call('admin1', route.method, target, route.hasBody ? body : undefined, route.hasBody ? { 'content-type': 'application/json' } : {});
        expectClientError(res, `${route.method} ${target} ${route.hasBody ? body : ''}`);
      }),
      { numRuns: 12 },
    );
  }
  expect(await ledgerHeight()).toBe(before);
}, 300_000);

test('malformed headers: credentials, idempotency keys and media types', async () => {
  const before = await ledgerHeight();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ROUTES.filter((r) => r.url !== '/dev/token')),
      fc.oneof(
        fc.string({ maxLength: 40 }).map((s) => ({ authorization: `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}` })),
        fc.constantFrom<Record<string, string>>({ authorization: 'Basic YTpi' }, { 'x-api-key': 'hlk_nope' }, {}),
      ),
      async (route, headers) => {
        const res = await api.call(undefined, route.method, route.url.replace(/:(\w+)/g, 'x1'), route.hasBody ? '{}' : undefined, headers);
        expectClientError(res, `${route.method} ${route.url} ${JSON.stringify(headers)}`);
        expect(res.status).toBe(401);
      },
    ),
    { numRuns: 60 },
  );
  const badKeys = ['', ' ', 'a'.repeat(300), 'key with spaces', '\u00e9t\u00e9'];
  for (const key of badKeys) {
    const res = await api.post('patient1', '/consents', { consentId: 'x' }, { 'idempotency-key': key });
    expectClientError(res, `idempotency-key ${JSON.stringify(key)}`);
  }
  const wrongType = await api.post('patient1', '/consents', 'consentId=x', { 'content-type': 'application/x-www-form-urlencoded' });
  expectClientError(wrongType, 'form body');
  expect(await ledgerHeight()).toBe(before);
}, 120_000);

test('offline signing: bytes that are not the message asked for, or a bad signature, are 4xx problem+json', async () => {
  const before = await ledgerHeight();
  const prepared = await api.post('patient1', '/offline/proposals', { fn: 'consent:grantConsent', request: researchConsent(uid('mal')) });
  expect(prepared.status).toBe(201);
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const messages = fc.oneof(
    fc.constantFrom('AAAA', '====', b64('hello world garbage'), Buffer.alloc(64, 0xff).toString('base64'), prepared.body.proposal as string),
    fc.uint8Array({ minLength: 3, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  );
  const signatures = fc.oneof(fc.constantFrom('AAAA', '===='), fc.uint8Array({ minLength: 3, maxLength: 72 }).map((bytes) => Buffer.from(bytes).toString('base64')));
  const endpoints = [
    ['/offline/proposals/endorsement', 'proposal'],
    ['/offline/transactions/submission', 'transaction'],
    ['/offline/commits/status', 'commit'],
  ] as const;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...endpoints), messages, signatures, async ([url, field], message, signature) => {
      const res = await api.post('patient1', url, { [field]: message, signature });
      expectClientError(res, `${url} ${field}=${message} signature=${signature}`);
    }),
    { numRuns: 60 },
  );
  expect(await ledgerHeight()).toBe(before);
}, 120_000);

test('a claim naming a payer outside the consortium is 400, not an outage', async () => {
  const before = await ledgerHeight();
  for (const payer of ['NoSuchMSP', 'OrdererMSP']) {
    const res = await api.post('billing1', '/claims', {
      claimId: uid('cl'), patientRef: 'pt-0c5f1a9e', payer, coverageId: 'cov-x', serviceDate: '2024-01-01', currency: 'USD',
      items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 10_000 }], total: 10_000,
      detail: { nonce: 'n0nce-0123456789abcdefghij', diagnoses: [{ sequence: 1, code: 'E11.9' }] },
    });
    expectClientError(res, `payer ${payer}`);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  }
  expect(await ledgerHeight()).toBe(before);
});

test('JSON nested thousands of levels deep is 400 JSON_TOO_DEEP on every JSON route and media type', async () => {
  const before = await ledgerHeight();
  const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const cases: [string, string, string, string][] = [
    ['clinician1', '/records', `{"recordId":"r1","patientRef":"pt-0c5f1a9e","category":"lab-result","content":${deepObject}}`, 'application/json'],
    ['patient1', '/offline/proposals', `{"fn":"consent:grantConsent","request":{"a":${deepArray}}}`, 'application/json'],
    ['manufacturer1', '/epcis/events', deepObject, 'application/ld+json'],
    ['patient1', '/consents', deepArray, 'application/json; charset=utf-8'],
  ];
  for (const [user, url, body, type] of cases) {
    const res = await api.post(user, url, body, { 'content-type': type });
    expectClientError(res, `${url} (${type})`);
    expect(res.body.code).toBe('JSON_TOO_DEEP');
  }
  expect(await ledgerHeight()).toBe(before);
});
