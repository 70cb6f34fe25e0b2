/**
 * The OpenAPI document is the API's documentation, and it is committed (docs/openapi.json) so a
 * client can be generated without running a gateway. This test builds the gateway with every
 * route group, and fails when the committed document differs from what the gateway serves, or
 * when an operation is undocumented: every operation has a success response with a schema, its
 * error responses use the one problem schema, enums are `enum` (not anyOf of constants), and only
 * public routes go without the global security requirement.
 *
 * `npm run openapi` rewrites docs/openapi.json (this test with HEALTHLEDGER_WRITE_OPENAPI=1) and
 * regenerates the typed client's types from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventFeed } from '../events/feed';
import { apiRoutes } from '../routes';
import { fhirProblems } from '../testing/fhir-validator';
import { ScriptedLedger } from '../testing/scripted-ledger';
import { testApp, testWallet, type TestApp } from '../testing/test-app';

const COMMITTED = join(__dirname, '../../../docs/openapi.json');

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown>; example?: unknown }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

let t: TestApp;
let served: Document;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hl-openapi-'));
  const ledger = new ScriptedLedger();
  // Never started: the event routes only need to be registered for the document.
  const feed = new EventFeed({ ledger, user: (await testWallet()).list()[0]!, dataDir: dir });
  t = await testApp({ ledger, routes: apiRoutes(feed) });
  served = (await t.inject({ method: 'GET', url: '/docs/json' })).json<Document>();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const operations = () => Object.entries(served.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));
/**
 * Known gaps, owned by the event-feed work (routes/events.ts): the SSE stream and webhook removal
 * answer without a documented body yet. Remove an entry when its route documents its answer.
 */
const UNDOCUMENTED_SUCCESS = new Set(['GET /events 200', 'GET /webhooks 200', 'DELETE /webhooks/{id} 200']);
const UNDOCUMENTED = new Set([...UNDOCUMENTED_SUCCESS].map((gap) => gap.replace(/ \d+$/, '')));
/**
 * Operations whose success answer has no example yet: their results are not described in the
 * transaction catalogue (`result`/`items`) or their route schemas carry no `examples`. The list
 * may only shrink: a new operation without an example fails, and so does an operation on this list
 * that has gained one (take it off).
 */
const WITHOUT_EXAMPLES = new Set([
  'POST /observations',
  'POST /patients/{patientRef}/delegates',
  'GET /patients/{patientRef}/delegates',
  'DELETE /patients/{patientRef}/delegates/{delegateId}',
  'POST /records/{recordId}/access-check',
  'POST /emergencies',
  'POST /emergencies/{emergencyId}/review',
  'GET /emergencies/unreviewed',
  'GET /emergencies/{emergencyId}',
  'POST /coverages',
  'PUT /coverages/{coverageId}',
  'GET /coverages/{coverageId}',
  'GET /patients/{patientRef}/coverages',
  'POST /eligibility-checks',
  'POST /claims',
  'GET /claims',
  'POST /claims/{claimId}/adjudication',
  'POST /claims/{claimId}/payment',
  'POST /claims/{claimId}/appeals',
  'GET /claims/{claimId}',
  'GET /claims/{claimId}/detail',
  'POST /products',
  'GET /products/{gtin}',
  'POST /packs/commission',
  'POST /containers',
  'POST /containers/{sscc}/disaggregation',
  'POST /shipments',
  'POST /shipments/{shipmentId}/receipt',
  'GET /shipments/{shipmentId}',
  'POST /packs/{gtin}/{serial}/dispense',
  'POST /packs/{gtin}/{serial}/dispense-undo',
  'POST /destructions',
  'POST /verifications',
  'POST /recalls',
  'GET /products/{gtin}/lots/{lot}/holders',
  'POST /quarantines',
  'POST /packs/{gtin}/{serial}/quarantine-clearance',
  'POST /packs/{gtin}/{serial}/illegitimate',
  'POST /sensor-reports',
  'POST /epcis/events',
  'GET /packs/{gtin}/{serial}/history',
  'GET /packs/{gtin}/{serial}/ledger-history',
  'GET /holdings',
  'GET /packs/{gtin}/{serial}',
  'GET /audit/history/{assetType}/{id}',
  'POST /offline/proposals',
  'POST /offline/proposals/endorsement',
  'POST /offline/transactions/submission',
  'POST /offline/commits/status',
  'GET /events',
  'POST /webhooks',
  'GET /webhooks',
  'DELETE /webhooks/{id}',
]);
const PUBLIC = [/^\/health\//, /^\/dev\/token$/, /^\/metrics$/, /^\/docs/];

test('docs/openapi.json is the document the gateway serves (npm run openapi updates it)', () => {
  const text = `${JSON.stringify(served, null, 2)}\n`;
  if (process.env['HEALTHLEDGER_WRITE_OPENAPI'] === '1') writeFileSync(COMMITTED, text);
  expect(readFileSync(COMMITTED, 'utf8')).toBe(text);
});

test('every operation has an operationId, a summary and a described success response with a schema', () => {
  const ops = operations();
  expect(ops.length).toBeGreaterThan(60);
  const missing = ops.flatMap(({ name, op }) => {
    const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
    const problems: string[] = [];
    if (!op.operationId) problems.push(`${name}: no operationId`);
    if (!op.summary) problems.push(`${name}: no summary`);
    if (success.length === 0) problems.push(`${name}: no 2xx response`);
    for (const [status, response] of success) {
      if (status === '204' || UNDOCUMENTED_SUCCESS.has(`${name} ${status}`)) continue;
      const schema = Object.values(response.content ?? {})[0]?.schema;
      if (!schema || Object.keys(schema).length === 0) problems.push(`${name} ${status}: no response schema`);
      else if (!schema['description'] && !schema['$ref'] && !schema['properties']) problems.push(`${name} ${status}: response schema describes nothing`);
    }
    return problems;
  });
  expect(missing).toEqual([]);
  const ids = ops.map(({ op }) => op.operationId);
  expect(new Set(ids).size).toBe(ids.length);
});

test('every success answer carries an example, apart from the shrinking list of known gaps', () => {
  const lacking = operations()
    .filter(({ op }) => Object.entries(op.responses ?? {}).some(([status, response]) => /^2\d\d$/.test(status) && !hasExample(response.content)))
    .map(({ name }) => name);
  expect(lacking.filter((name) => !WITHOUT_EXAMPLES.has(name))).toEqual([]);
  expect([...WITHOUT_EXAMPLES].filter((name) => !lacking.includes(name))).toEqual([]);
});

/** An example anywhere in the answer's schema, the page cursor's apart. */
function hasExample(content: unknown): boolean {
  const text = JSON.stringify(content ?? {}, (key, value: unknown) => (key === 'nextCursor' ? undefined : value));
  return text.includes('"example"');
}

test('the FHIR operations\' examples are valid R4 resources of the type served (searches: searchset Bundles of it)', () => {
  const fhirOps = operations().filter(({ name }) => name.split(' ')[1]!.startsWith('/fhir/'));
  expect(fhirOps.length).toBeGreaterThan(15);
  const wrong = fhirOps.flatMap(({ name, op }) =>
    Object.entries(op.responses ?? {})
      .filter(([status]) => /^2\d\d$/.test(status))
      .flatMap(([status, response]) => {
        const example = Object.values(response.content ?? {})[0]?.example as { resourceType?: string; type?: string; entry?: { resource: { resourceType: string } }[] } | undefined;
        const path = name.split(' ')[1]!;
        const type = path === '/fhir/metadata' ? 'CapabilityStatement' : path.split('/')[2];
        const search = name.startsWith('GET ') && !path.endsWith('{id}') && type !== 'CapabilityStatement';
        const shown = search ? example?.entry?.[0]?.resource.resourceType : example?.resourceType;
        const problems = example === undefined ? ['no example'] : fhirProblems(example);
        if (search && example?.type !== 'searchset') problems.push('not a searchset');
        if (shown !== type) problems.push(`shows a ${String(shown)}`);
        return problems.map((p) => `${name} ${status}: ${p}`);
      }),
  );
  expect(wrong).toEqual([]);
});

test('authenticated operations document their errors as problem+json with the one Problem schema', () => {
  expect(served.components.schemas['Problem']).toBeDefined();
  for (const { name, op } of operations()) {
    if (PUBLIC.some((p) => p.test(name.split(' ')[1]!)) || UNDOCUMENTED.has(name)) continue;
    for (const status of ['400', '401', '403']) {
      const content = op.responses?.[status]?.content;
      expect([name, status, JSON.stringify(content)]).toEqual([name, status, expect.stringContaining('#/components/schemas/Problem')]);
    }
  }
});

test('enumerations are enum, never anyOf of single constants', () => {
  const text = JSON.stringify(served);
  expect(text.match(/.{0,80}"anyOf":\[\{("const"|"type":"string","enum":\["[^"]*"\]\}).{0,80}/g)).toBeNull();
});

test('only public routes go without credentials', () => {
  for (const { name, op } of operations()) {
    const isPublic = PUBLIC.some((p) => p.test(name.split(' ')[1]!));
    expect([name, op.security]).toEqual([name, isPublic ? [] : undefined]);
  }
});
