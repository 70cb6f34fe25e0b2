/**
 * Hostile input, generated (fast-check), against every operation the gateway's served OpenAPI
 * document (`GET /docs/json`) describes — so a route added tomorrow is driven without anyone
 * listing it. Each operation gets wrong types, huge strings, deep nesting, odd unicode (lone
 * surrogates, NUL, right-to-left overrides), prototype keys, path tricks, odd headers and
 * content types, as callers of every kind. Every answer is a 4xx problem+json with a `code` (under
 * /fhir, an OperationOutcome with the same code), or a 2xx to a read (GET); never a 5xx; and the
 * ledger does not move.
 */
import fc from 'fast-check';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
beforeAll(async () => {
  net = await startJourneys('openapi-hostile');
}, 120_000);
afterAll(async () => net?.stop());

/** The part of an OpenAPI 3 schema object these generators read. */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  params: Parameter[];
  body: Schema | undefined;
  eventStream: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const USERS = ['admin1', 'clinician1', 'recordsadmin1', 'billing1', 'pharmacist1', 'auditor1', 'patient1', 'adjudicator1', 'manufacturer1', 'distributor1'];

async function operations(): Promise<Operation[]> {
  const res = await fetch(`${net.urlFor()}/docs/json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as
        | { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, unknown> }> }
        | undefined;
      if (!op) continue;
      const body = Object.values(op.requestBody?.content ?? {})[0]?.schema;
      const produces = Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body, eventStream: path === '/events' || produces.includes('text/event-stream') });
    }
  }
  return ops;
}

/** Odd text: lone surrogates, NUL, bidi overrides, zero-width and combining marks, emoji, huge. */
const oddText = fc.oneof(
  fc.constantFrom('\ud800', '\udfff', 'a\u0000b', '\u202eevil', '\u200b', 'e\u0301\u0301\u0301', '😀', '\ufeff', '\u2028', ''),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '../../etc/passwd', '%2e%2e%2f', '${7*7}', "' OR 1=1 --", '<script>'),
  fc.constantFrom(60_000, 200_000).map((n) => 'x'.repeat(n)),
);
/** A value of no scalar type ajv would coerce (coerceTypes: 'array' turns numbers into strings). */
const notScalar = fc.constantFrom<unknown>({ $ne: null }, [{}], { __proto__: null, a: 1 });
const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });

/** A value that breaks `schema`: the wrong kind of value for its type. */
function wrongFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (type === 'object') return fc.oneof(oddText, fc.constant(42), fc.constant(nested(60)));
  if (type === 'array') return fc.oneof(fc.constant({ 0: 1 }), fc.constant(nested(60)));
  return fc.oneof(notScalar, fc.constant(nested(60)), fc.constant([nested(30)]));
}

/** A plausible value of `schema` (its first enum value, a date for a date, `x1` for text…). */
function plausible(schema: Schema | undefined, depth = 0): unknown {
  if (schema?.enum?.length) return schema.enum[0];
  const variant = schema?.anyOf?.[0] ?? schema?.oneOf?.[0];
  if (variant) return plausible(variant, depth);
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (type === 'integer' || type === 'number') return schema?.minimum ?? 1;
  if (type === 'boolean') return true;
  if (type === 'array') return depth > 4 ? [] : [plausible(schema?.items, depth + 1)];
  if (type === 'object') return depth > 4 ? {} : Object.fromEntries(Object.entries(schema?.properties ?? {}).map(([k, s]) => [k, plausible(s, depth + 1)]));
  if (schema?.format === 'date') return '2026-01-01';
  if (schema?.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  return 'x1';
}

/** A body close to valid: plausible everywhere, one field hostile. */
function nearlyValidBody(schema: Schema | undefined): fc.Arbitrary<string> {
  const base = plausible(schema) as Record<string, unknown>;
  const names = Object.keys(schema?.properties ?? {});
  if (names.length === 0 || typeof base !== 'object' || base === null) return fc.constant('{"zz_unknown":1}');
  return fc.tuple(fc.constantFrom(...names), fc.oneof(oddText, wrongFor(schema?.properties?.[names[0] ?? ''])), fc.boolean()).map(([name, value, proto]) => {
    const text = JSON.stringify({ ...base, [name]: value });
    return proto ? `{"__proto__":{"role":"admin"},${text.slice(1)}` : text;
  });
}

/** A JSON body text that no operation accepts. */
function hostileBody(schema: Schema | undefined): fc.Arbitrary<string> {
  const properties = Object.entries(schema?.properties ?? {});
  const wrongEverywhere =
    properties.length === 0
      ? fc.constant('{"zz_unknown":1}')
      : fc.tuple(...properties.map(([, s]) => wrongFor(s))).map((values) => JSON.stringify(Object.fromEntries(properties.map(([name], i) => [name, values[i]]))));
  const oddEverywhere = fc.tuple(fc.array(oddText, { minLength: properties.length, maxLength: properties.length }), fc.constant(0)).map(([values]) =>
    JSON.stringify({ ...Object.fromEntries(properties.map(([name], i) => [name, values[i]])), zz_unknown: 1 }),
  );
  return fc.oneof(
    wrongEverywhere,
    oddEverywhere,
    nearlyValidBody(schema),
    nearlyValidBody(schema),
    fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"a":1,"__proto__":{"isAdmin":true}}',
      '[{"__proto__":{}}]',
      JSON.stringify(nested(63)),
      `${'['.repeat(70)}${']'.repeat(70)}`,
      '{',
      '{"a":"\\ud800"',
      'null',
      '"string"',
      '12345678901234567890123456789',
      '[]',
      '\u0000',
      '{"a":1}{"a":2}',
      '',
    ),
  );
}

/** Ids a route may well accept, so that the rest of the input reaches the handler and the ledger. */
const plausibleId = fc.constantFrom('x1', 'rec-1', 'pt-0c5f1a9e', '09506000134352', 'M1', '1', '0', 'a.b_c-d', '99999999999999999999');
/** A path segment: traversal, encoded slashes and NULs, bad percent-encodings, odd text. */
const hostileSegment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '%2E%2E%2F..', '..%2F..%2Fetc%2Fpasswd', 'a%2Fb', '%00', '%ED%A0%80', '%', '%zz', '%C0%AE', '.', '~', '__proto__', 'constructor'),
  oddText.filter((s) => s.length < 5000 && !/[\ud800-\udfff]/.test(s)).map((s) => encodeURIComponent(s)),
);
/**
 * A value the parameter's own schema accepts — for a pattern, a string generated from it — so
 * that requests get past validation into the handler and the chaincode with the odd ids a pattern
 * still admits.
 */
function admitted(schema: Schema | undefined): fc.Arbitrary<string> {
  if (schema?.enum?.length) return fc.constantFrom(...schema.enum.map(String));
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (type === 'integer' || type === 'number') return fc.integer({ min: schema?.minimum ?? -1, max: schema?.maximum ?? 2 ** 53 }).map(String);
  if (schema?.format === 'date') return fc.constantFrom('2026-01-01', '0000-01-01', '9999-12-31');
  if (schema?.format === 'uuid') return fc.uuid();
  if (schema?.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((v) => v.length <= (schema.maxLength ?? 200));
  return plausibleId;
}
const hostileOrAdmitted = (schema: Schema | undefined) =>
  fc.oneof({ arbitrary: hostileSegment, weight: 1 }, { arbitrary: admitted(schema).map((v) => encodeURIComponent(v)), weight: 1 });
/** A query value: wrong types, huge, bad encodings, odd text, repeated or bracketed keys. */
const queryValue = fc.oneof(
  plausibleId,
  fc.constantFrom('-1', '1e309', 'NaN', 'Infinity', '0x10', '9007199254740993', 'true', '%00', '%ED%A0%80', '%zz', '', '__proto__'),
  oddText.filter((s) => s.length < 5000 && !/[\ud800-\udfff]/.test(s)).map((s) => encodeURIComponent(s)),
);
const queryExtra = fc.constantFrom('', '__proto__=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'zz_unknown=1', 'a=1&a=2&a=3');
/** Mostly JSON, so that bodies reach validation and the handlers; otherwise media types no route takes. */
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json, text/plain',
      'application/merge-patch+json',
      ';;;',
    ),
    weight: 1,
  },
);
const oddHeaders = fc.constantFrom<Record<string, string>>(
  {},
  { accept: 'application/xml' },
  { accept: 'text/event-stream' },
  { 'accept-charset': 'utf-7' },
  { 'x-request-id': '../../../../etc/passwd' },
  { 'idempotency-key': 'é'.repeat(10) },
  { 'idempotency-key': 'k'.repeat(400) },
  { 'last-event-id': '-1' },
  { 'last-event-id': '99999999999999999999' },
  { 'if-match': '*', range: 'bytes=0-1' },
  { 'x-forwarded-for': '::1, garbage, 999.1.1.1' },
  { 'content-encoding': 'gzip' },
);

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

/** One request; an event stream is closed as soon as its headers arrive. */
async function send(op: Operation, user: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(net.urlFor() + url, {
    method: op.method,
    headers: { ...headers, authorization: await net.bearer(user) },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, contentType: type, body: undefined };
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and the assertions say why that is wrong
  }
  return { status: res.status, contentType: type, body: parsed };
}

/** The FHIR interface answers its errors as OperationOutcomes carrying the same problem code (docs/design/fhir.md). */
const isFhir = (path: string) => path.startsWith('/fhir/');

/**
 * Whether an error answer on `path` has the error media type: problem+json, or FHIR JSON under
 * /fhir — except what Fastify refuses before routing (a malformed URL), which reaches no route's
 * context and is problem+json everywhere.
 */
function isErrorType(path: string, contentType: string): boolean {
  return contentType.startsWith('application/problem+json') || (isFhir(path) && contentType.startsWith('application/fhir+json'));
}

function expectAllowed(op: Operation, answer: Answer, what: string): void {
  const read = op.method === 'GET' || op.method === 'HEAD';
  if (answer.status >= 500 || (answer.status < 400 && !read)) throw new Error(`${what} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  if (answer.status < 400) return;
  if (!isErrorType(op.path, answer.contentType)) throw new Error(`${what} → ${answer.status} as ${answer.contentType}`);
  const code = expect.stringMatching(/^[A-Z][A-Z0-9_]+$/);
  if (!answer.contentType.startsWith('application/fhir+json')) {
    expect(answer.body).toMatchObject({ status: answer.status, code });
    return;
  }
  expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome' });
  expect((answer.body as { issue?: unknown[] }).issue?.[0]).toMatchObject({ details: { coding: [{ system: 'urn:healthledger:problem', code }] } });
}

async function ledgerHeight(): Promise<string> {
  const res = await fetch(`${net.urlFor()}/ledger`, { headers: { authorization: await net.bearer('auditor1') } });
  return ((await res.json()) as { height: string }).height;
}

test('every operation of the served OpenAPI document answers hostile input with 4xx problem+json (or a read), never 5xx, and the ledger does not move', async () => {
  const ops = await operations();
  expect(ops.length).toBeGreaterThan(50);
  expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['GET /events', 'POST /webhooks', 'POST /records']));
  const before = await ledgerHeight();
  for (const op of ops) {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const hasBody = op.body !== undefined || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(op.method);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...USERS),
        fc.tuple(...pathParams.map((p) => hostileOrAdmitted(p.schema))),
        fc.tuple(...queryParams.map((p) => fc.oneof(queryValue, admitted(p.schema).map((v) => encodeURIComponent(v))))),
        queryExtra,
        hostileBody(op.body),
        contentType,
        oddHeaders,
        async (user, segments, values, extra, body, type, headers) => {
          let i = 0;
          const path = op.path.replace(/\{[^}]+\}/g, () => segments[i++] ?? 'x');
          const query = [...queryParams.map((p, j) => `${encodeURIComponent(p.name)}=${values[j] ?? ''}`), extra].filter((q) => q !== '').join('&');
          const url = query === '' ? path : `${path}?${query}`;
          const answer = await send(op, user, url, hasBody ? body : undefined, hasBody ? { ...headers, 'content-type': type } : headers);
          expectAllowed(op, answer, `${user} ${op.method} ${url} ${hasBody ? `(${type}) ${body.slice(0, 200)}` : ''} ${JSON.stringify(headers)}`);
        },
      ),
      { numRuns: 8 },
    );
  }
  expect(await ledgerHeight()).toBe(before);
}, 180_000);

/** Routes carrying record content take more than the default 1 MiB body (content.ts): up to 4 MiB of content, 8 MiB + 64 KiB of JSON. */
const CONTENT_ROUTE = /^\/records(\/\{recordId\}\/(versions|verification|content|content\/verification))?$/;

test('an oversized body gets its 413 problem+json on every write operation, in every media type it takes', async () => {
  const ops = (await operations()).filter((op) => op.method === 'POST' || op.method === 'PUT');
  const oversized = (size: number) => `{"a":"${'x'.repeat(size)}"}`;
  const [body, contentBody] = [oversized(1_200_000), oversized(8_500_000)];
  const wrong: string[] = [];
  for (const op of ops) {
    const tooLarge = CONTENT_ROUTE.test(op.path) ? contentBody : body;
    for (const type of ['application/json', ...(op.path === '/epcis/events' ? ['application/ld+json'] : [])]) {
      const answer = await send(op, 'admin1', op.path.replace(/\{[^}]+\}/g, 'x1'), tooLarge, { 'content-type': type });
      if (answer.status !== 413 || !isErrorType(op.path, answer.contentType)) wrong.push(`${op.method} ${op.path} (${type}) → ${answer.status} ${answer.contentType}`);
    }
    // Chunked, with no length declared: refused once the limit is read, still answered.
    const chunked = await chunkedStatus(op, tooLarge);
    if (chunked.status !== 413 || !isErrorType(op.path, chunked.contentType)) wrong.push(`${op.method} ${op.path} (chunked) → ${chunked.status} ${chunked.contentType}`);
  }
  expect(wrong).toEqual([]);
}, 120_000);

/** Sends `body` with Transfer-Encoding: chunked (a stream body: fetch declares no length). */
async function chunkedStatus(op: Operation, body: string): Promise<{ status: number; contentType: string }> {
  const bytes = Buffer.from(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
      controller.close();
    },
  });
  const res = await fetch(net.urlFor() + op.path.replace(/\{[^}]+\}/g, 'x1'), {
    method: op.method,
    headers: { authorization: await net.bearer('admin1'), 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  });
  await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '' };
}

test('methods an operation does not have are 4xx problem+json on every documented path', async () => {
  const ops = await operations();
  const paths = [...new Set(ops.map((op) => op.path))];
  const wrong: string[] = [];
  for (const path of paths) {
    const url = path.replace(/\{[^}]+\}/g, 'x1');
    const documented = ops.filter((op) => op.path === path).map((op) => op.method);
    for (const method of ['PATCH', 'OPTIONS', 'PROPFIND', 'PUT', 'DELETE'].filter((m) => !documented.includes(m))) {
      const answer = await send({ method, path, params: [], body: undefined, eventStream: false }, 'admin1', url, undefined, {});
      if (answer.status < 400 || answer.status >= 500 || !isErrorType(path, answer.contentType)) wrong.push(`${method} ${url} → ${answer.status} ${answer.contentType}`);
    }
  }
  expect(wrong).toEqual([]);
}, 120_000);

test('a webhook URL with control characters, bidi overrides, spaces or no host is 400, and nothing is registered', async () => {
  const webhooks = (await operations()).find((op) => op.method === 'POST' && op.path === '/webhooks')!;
  // The worker's earlier suites may have registered webhooks of their own on the shared network.
  const registered = async () => (await fetch(`${net.urlFor()}/webhooks`, { headers: { authorization: await net.bearer('auditor1') } })).json();
  const before = await registered();
  for (const url of ['http://a\u0000b', 'http://\u202eevil.example', 'http://example.org/a b', 'http://..', 'http://%2e', 'http://', 'https://:443/x', 'javascript:alert(1)']) {
    const answer = await send(webhooks, 'auditor1', '/webhooks', JSON.stringify({ url }), { 'content-type': 'application/json' });
    expectAllowed(webhooks, answer, `webhook ${JSON.stringify(url)}`);
    expect(answer.status).toBe(400);
  }
  expect(await registered()).toEqual(before);
});
