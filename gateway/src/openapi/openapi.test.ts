/**
 * The OpenAPI document is the API's documentation, and it is committed (docs/openapi.json) so a
 * client can be generated without running a gateway. This test builds the gateway with every
 * route group, and fails when the committed document differs from what the gateway serves, or
 * when an operation is undocumented: every operation has a success response with a schema; every
 * request body and success answer has a whole example that its schema accepts; every parameter
 * and property is described; error responses use the one problem schema; enums are `enum` (not
 * anyOf of constants); and only public routes go without the global security requirement.
 *
 * `npm run openapi` rewrites docs/openapi.json (this test with HEALTHLEDGER_WRITE_OPENAPI=1) and
 * regenerates the typed client's types from it.
 */
import Ajv from 'ajv';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventFeed } from '../events/feed';
import { apiRoutes } from '../routes';
import { REQUEST_EXAMPLES } from './request-examples';
import { fhirProblems } from '../testing/fhir-validator';
import { ScriptedLedger } from '../testing/scripted-ledger';
import { testApp, testWallet, type TestApp } from '../testing/test-app';

const COMMITTED = join(__dirname, '../../../docs/openapi.json');

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}
interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
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
  // Every schema compiled at start-up: the gateway compiles on first use, so this is where a
  // schema that cannot compile is caught.
  t = await testApp({ ledger, routes: apiRoutes(feed), eagerSchemas: true });
  served = (await t.inject({ method: 'GET', url: '/docs/json' })).json<Document>();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const operations = () => Object.entries(served.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));
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
      if (status === '204') continue;
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

test('every request body and success answer has a whole example, valid against its schema', () => {
  const problems = operations().flatMap(({ name, op }) => exampleProblems(name, op));
  expect(problems).toEqual([]);
});

test('every written request example belongs to an operation with a body', () => {
  const withBody = new Set(operations().flatMap(({ op }) => (op.requestBody && op.operationId ? [op.operationId] : [])));
  expect(Object.keys(REQUEST_EXAMPLES).filter((id) => !withBody.has(id))).toEqual([]);
});

/** Ajv over the document's schemas: a `$ref` into `#/components/schemas` resolves in the document. */
// OpenAPI's `byte` format (base64) is not one of JSON Schema's: declared here, so examples are held
// to it and Ajv does not warn about an unknown format on every compile.
const ajv = new Ajv({ strict: false, allErrors: true, formats: { byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/ } });
function validationErrors(schema: Record<string, unknown>, example: unknown): string | undefined {
  const validate = ajv.compile({ ...schema, components: served.components });
  return validate(example) ? undefined : ajv.errorsText(validate.errors);
}

test('the example check refuses what a schema refuses, through references too', () => {
  const schema = { type: 'object', required: ['problem'], properties: { problem: { $ref: '#/components/schemas/Problem' } } };
  expect(validationErrors(schema, { problem: { type: 'urn:x', title: 'Forbidden', status: 403, code: 'ROLE_FORBIDDEN' } })).toBeUndefined();
  expect(validationErrors(schema, { problem: { title: 'Forbidden' } })).toMatch(/required property 'type'/);
});

/** What is wrong with an operation's examples: a body or 2xx answer without one, or one its schema refuses. */
function exampleProblems(name: string, op: Operation): string[] {
  const media = [
    ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({ where: `request ${type}`, m })),
    ...Object.entries(op.responses ?? {})
      .filter(([status]) => /^2\d\d$/.test(status))
      .flatMap(([status, response]) => Object.entries(response.content ?? {}).map(([type, m]) => ({ where: `${status} ${type}`, m }))),
  ];
  return media.flatMap(({ where, m }) => {
    if (m.example === undefined) return [`${name} ${where}: no example`];
    const errors = m.schema ? validationErrors(m.schema, m.example) : undefined;
    return errors ? [`${name} ${where}: example does not match the schema: ${errors}`] : [];
  });
}

test('the FHIR operations\' examples are valid R4 resources of the type served (searches: searchset Bundles of it), and so are the resources a create sends', () => {
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
  const creates = fhirOps.filter(({ name }) => name.startsWith('POST '));
  expect(creates.length).toBeGreaterThan(1);
  const badInputs = creates.flatMap(({ name, op }) => {
    const example = Object.values(op.requestBody?.content ?? {})[0]?.example as { resourceType?: string } | undefined;
    const problems = example === undefined ? ['no example'] : fhirProblems(example);
    if (example?.resourceType !== name.split('/')[2]) problems.push(`sends a ${String(example?.resourceType)}`);
    return problems.map((p) => `${name} request: ${p}`);
  });
  expect(badInputs).toEqual([]);
});

test('authenticated operations document their errors as problem+json with the one Problem schema', () => {
  expect(served.components.schemas['Problem']).toBeDefined();
  for (const { name, op } of operations()) {
    if (PUBLIC.some((p) => p.test(name.split(' ')[1]!))) continue;
    for (const status of ['400', '401', '403']) {
      const content = op.responses?.[status]?.content;
      expect([name, status, JSON.stringify(content)]).toEqual([name, status, expect.stringContaining('#/components/schemas/Problem')]);
    }
  }
});

test('every parameter and every property of every schema has a description', () => {
  const undescribed: string[] = [];
  const walk = (schema: unknown, where: string): void => {
    if (typeof schema !== 'object' || schema === null) return;
    if (Array.isArray(schema)) return schema.forEach((s) => walk(s, where));
    const s = schema as Record<string, unknown>;
    for (const [name, property] of Object.entries((s['properties'] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (!property['description'] && !property['$ref']) undescribed.push(`${where}.${name}`);
      walk(property, `${where}.${name}`);
    }
    for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) walk(s[key], where);
  };
  for (const { name, op } of operations()) {
    for (const p of (op as { parameters?: { name: string; description?: string; schema?: { description?: string } }[] }).parameters ?? []) {
      if (!p.description && !p.schema?.description) undescribed.push(`${name} parameter ${p.name}`);
    }
    for (const media of Object.values(op.requestBody?.content ?? {})) walk(media.schema, `${name} body`);
    for (const [status, response] of Object.entries(op.responses ?? {})) for (const media of Object.values(response.content ?? {})) walk(media.schema, `${name} ${status}`);
  }
  for (const [component, schema] of Object.entries(served.components.schemas)) walk(schema, `#/components/schemas/${component}`);
  expect(undescribed).toEqual([]);
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
