import { connect } from 'node:net';
import { Type } from '@sinclair/typebox';
import { SignJWT } from 'jose';
import type { RouteModule } from './routes/context';
import { principalOf } from './auth/principal';
import { journalOf } from './idempotency/hook';
import { issueToken } from './auth/tokens';
import { testApp, TEST_SECRET, type TestApp } from './testing/test-app';

/** A tiny resource used to exercise the cross-cutting behaviour. */
const echoRoutes: RouteModule = (app, { ledger }) => {
  app.post(
    '/echo',
    {
      schema: {
        body: Type.Object({ n: Type.Integer({ minimum: 0 }), note: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ n: Type.Integer(), txId: Type.String(), by: Type.String() }, { additionalProperties: false }) },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const body = request.body as { n: number };
      const outcome = await ledger.submit(user, { fn: 'echo', args: [String(body.n)], journal: journalOf(request) });
      return reply.code(201).send({ n: body.n, txId: outcome.txId, by: user.name });
    },
  );
  app.get('/bad-shape', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }, { additionalProperties: false }) } } }, async () => {
    await Promise.resolve();
    return { ok: 'yes' };
  });
};

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ routes: [echoRoutes] });
});
afterEach(async () => t.close());

/** A clinician1 token signed with the test secret carrying exactly `claims` besides sub and msp. */
async function signed(claims: Record<string, unknown>): Promise<string> {
  const jwt = new SignJWT({ msp: 'Hospital1MSP', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('clinician1');
  return `Bearer ${await jwt.sign(new TextEncoder().encode(TEST_SECRET))}`;
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code, type: expect.stringMatching(/^urn:healthledger:problem:/), title: expect.any(String) });
}

describe('authentication', () => {
  test('no credentials → 401 problem with a Bearer challenge', async () => {
    const res = await t.inject({ method: 'POST', url: '/echo', payload: { n: 1 } });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('a valid token acts as the wallet identity', async () => {
    const res = await t.inject({ method: 'POST', url: '/echo', payload: { n: 1 }, headers: { authorization: await t.bearer('clinician2') } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ by: 'clinician2' });
    expect(t.ledger.calls[0]?.user).toMatchObject({ name: 'clinician2', mspId: 'Hospital2MSP', role: 'clinician' });
  });

  test.each([
    ['a token signed with another secret', async () => `Bearer ${await issueToken('another-secret-another-secret-1234', { name: 'clinician1', mspId: 'Hospital1MSP' }, 60)}`],
    // Past the 60 s clock skew allowed by default.
    ['an expired token', async () => `Bearer ${await issueToken(TEST_SECRET, { name: 'clinician1', mspId: 'Hospital1MSP' }, -120)}`],
    ['a token without exp', () => signed({})],
    ['a token living longer than the 24 h maximum', () => signed({ exp: Math.floor(Date.now() / 1000) + 7 * 86_400 })],
    ['garbage', () => Promise.resolve('Bearer not.a.jwt')],
  ])('%s → 401', async (_name, header) => {
    const res = await t.inject({ method: 'POST', url: '/echo', payload: { n: 1 }, headers: { authorization: await header() } });
    expectProblem(res, 401, 'UNAUTHENTICATED');
  });

  test('a token for an identity not in the wallet → 403', async () => {
    const token = await issueToken(TEST_SECRET, { name: 'mallory', mspId: 'Hospital1MSP' }, 60);
    const res = await t.inject({ method: 'POST', url: '/echo', payload: { n: 1 }, headers: { authorization: `Bearer ${token}` } });
    expectProblem(res, 403, 'IDENTITY_NOT_ENROLLED');
  });

  test('API keys map to their identity; unknown keys are refused', async () => {
    const key = t.apiKeys.create({ name: 'adjudicator1', mspId: 'InsurerMSP' }, 'claims system');
    const ok = await t.inject({ method: 'POST', url: '/echo', payload: { n: 2 }, headers: { 'x-api-key': key } });
    expect(ok.json()).toMatchObject({ by: 'adjudicator1' });
    const bad = await t.inject({ method: 'POST', url: '/echo', payload: { n: 2 }, headers: { 'x-api-key': `${key}x` } });
    expectProblem(bad, 401, 'UNAUTHENTICATED');
  });

  test('the dev token endpoint issues working tokens for demo users only', async () => {
    const res = await t.inject({ method: 'POST', url: '/dev/token', payload: { user: 'patient1' } });
    expect(res.statusCode).toBe(200);
    const { access_token, role, patientRef } = res.json<{ access_token: string; role: string; patientRef?: string }>();
    expect(role).toBe('patient');
    // A patient learns its own reference with its token.
    expect(patientRef).toBe('pt-0c5f1a9e');
    const use = await t.inject({ method: 'POST', url: '/echo', payload: { n: 3 }, headers: { authorization: `Bearer ${access_token}` } });
    expect(use.json()).toMatchObject({ by: 'patient1' });
    expectProblem(await t.inject({ method: 'POST', url: '/dev/token', payload: { user: 'nobody' } }), 404, 'USER_NOT_FOUND');
  });
});

describe('validation and problem+json', () => {
  test('unknown fields are rejected, not dropped', async () => {
    const res = await t.inject({ method: 'POST', url: '/echo', payload: { n: 1, extra: true }, headers: { authorization: await t.bearer('clinician1') } });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.json()).toMatchObject({ errors: [{ pointer: '/body/extra', detail: 'unknown field' }] });
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('malformed JSON → 400', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/echo',
      payload: '{"n":',
      headers: { authorization: await t.bearer('clinician1'), 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  test.each([
    ['arrays', `{"n":1,"note":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
  ])('JSON nested 5,000 levels deep (%s) → 400 JSON_TOO_DEEP, not 500', async (_what, payload) => {
    const res = await t.inject({
      method: 'POST',
      url: '/echo',
      payload,
      headers: { authorization: await t.bearer('clinician1'), 'content-type': 'application/json; charset=utf-8' },
    });
    expectProblem(res, 400, 'JSON_TOO_DEEP');
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('oversized body → 413', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/echo',
      payload: JSON.stringify({ n: 1, note: 'x'.repeat(2_000_000) }),
      headers: { authorization: await t.bearer('clinician1'), 'content-type': 'application/json' },
    });
    expectProblem(res, 413, 'BODY_TOO_LARGE');
  });

  /**
   * Sends a request as curl does without `Expect: 100-continue`: the whole body first, and only
   * then reads the answer. Resolves with what was read, or the write error.
   */
  function sendThenRead(head: string, body: Buffer): Promise<{ response: string; writeError?: string }> {
    const url = new URL(t.baseUrl);
    return new Promise((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      const chunks: Buffer[] = [];
      socket.pause();
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ response: Buffer.concat(chunks).toString('latin1') }));
      socket.write(head);
      // 64 KiB at a time, each once the last has left, as curl writes.
      const writeFrom = (offset: number): void => {
        if (offset >= body.length) {
          socket.resume();
          return;
        }
        socket.write(body.subarray(offset, offset + 65_536), (err) => {
          if (err) resolve({ response: '', writeError: err.message });
          else writeFrom(offset + 65_536);
        });
      };
      writeFrom(0);
    });
  }

  // 3 MB as reported (with curl); on loopback the kernel's buffers can absorb that much, so 20 MB
  // is what makes a Node client still be writing when an early close would reset the connection.
  test.each([3_000_000, 20_000_000])('a %i-byte body sent without Expect: 100-continue gets its 413 problem, not a reset', async (size) => {
    const body = Buffer.alloc(size, 0x61);
    const head = `POST /echo HTTP/1.1\r\nHost: test\r\nAuthorization: ${await t.bearer('clinician1')}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    const { response, writeError } = await sendThenRead(head, body);
    expect(writeError).toBeUndefined();
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toMatch(/content-type: application\/problem\+json/i);
    expect(response).toContain('"code":"BODY_TOO_LARGE"');
  });

  test.each([
    ['a header', (h: string) => `GET /health/live HTTP/1.1\r\nHost: test\r\nX-Big: ${h}\r\n\r\n`],
    ['the URL', (h: string) => `GET /${h} HTTP/1.1\r\nHost: test\r\n\r\n`],
  ])('oversized headers (%s) → 431 problem+json', async (_what, request) => {
    const { response } = await sendThenRead(request('a'.repeat(70_000)), Buffer.alloc(0));
    const [head = '', body = ''] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE', type: 'urn:healthledger:problem:headers-too-large' });
  });

  test('unknown route → 404 problem', async () => {
    expectProblem(await t.inject({ method: 'GET', url: '/nope' }), 404, 'NOT_FOUND');
  });

  test('a response that breaks its schema is a 500, never sent as is', async () => {
    const res = await t.inject({ method: 'GET', url: '/bad-shape', headers: { authorization: await t.bearer('clinician1') } });
    expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(res.body).not.toContain('yes');
  });

  test('every response carries a request id, echoed when the client sent one', async () => {
    const res = await t.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'req-42' } });
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers['x-content-type-options']).toBe('nosniff'); // helmet
  });
});

describe('Idempotency-Key', () => {
  const send = async (key: string, n: number) =>
    t.inject({ method: 'POST', url: '/echo', payload: { n }, headers: { authorization: await t.bearer('clinician1'), 'idempotency-key': key } });

  test('the same key replays the stored response without a second transaction', async () => {
    const first = await send('k-1', 5);
    const second = await send('k-1', 5);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(t.ledger.calls).toHaveLength(1);
  });

  test('the same key with a different body → 422', async () => {
    await send('k-2', 5);
    expectProblem(await send('k-2', 6), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(t.ledger.calls).toHaveLength(1);
  });

  test('keys are per caller', async () => {
    await send('k-3', 5);
    const other = await t.inject({ method: 'POST', url: '/echo', payload: { n: 5 }, headers: { authorization: await t.bearer('clinician2'), 'idempotency-key': 'k-3' } });
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(t.ledger.calls).toHaveLength(2);
  });

  test('server errors are not stored, so a retry runs again', async () => {
    t.ledger.handler = () => {
      throw new Error('ledger down');
    };
    expect((await send('k-4', 1)).statusCode).toBe(500);
    t.ledger.handler = () => null;
    expect((await send('k-4', 1)).statusCode).toBe(201);
    expect(t.ledger.calls).toHaveLength(2);
  });

  test('a keyed submit gets a journal; a retry after a server error finds the transactions the first run recorded', async () => {
    const seen: unknown[] = [];
    const attempt = { nonce: '00'.repeat(24), txId: 'ab'.repeat(32) };
    t.ledger.handler = ({ call }) => {
      const slot = call.journal?.slot(call);
      seen.push(slot?.attempts);
      slot?.record(attempt);
      throw new Error('commit status lost');
    };
    expect((await send('k-7', 1)).statusCode).toBe(500);
    t.ledger.handler = ({ call }) => {
      seen.push(call.journal?.slot(call).attempts);
      return null;
    };
    expect((await send('k-7', 1)).statusCode).toBe(201);
    expect(seen).toEqual([[], [attempt]]);
    // Answered: the journal is gone, the response stored.
    expect((await send('k-7', 1)).headers['idempotent-replayed']).toBe('true');
  });

  test('the same key with a different body after an unanswered run → 422', async () => {
    t.ledger.handler = ({ call }) => {
      call.journal?.slot(call).record({ nonce: '00'.repeat(24), txId: 'cd'.repeat(32) });
      throw new Error('crash');
    };
    expect((await send('k-8', 1)).statusCode).toBe(500);
    t.ledger.handler = () => null;
    expectProblem(await send('k-8', 2), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  test('without a key, submits carry no journal', async () => {
    await t.inject({ method: 'POST', url: '/echo', payload: { n: 1 }, headers: { authorization: await t.bearer('clinician1') } });
    expect(t.ledger.calls[0]?.call.journal).toBeUndefined();
  });

  test('a key held by a request in progress → 409', async () => {
    let release: () => void = () => undefined;
    t.ledger.handler = () => new Promise<void>((resolve) => (release = resolve));
    const first = send('k-5', 1);
    await new Promise((r) => setTimeout(r, 50));
    expectProblem(await send('k-5', 1), 409, 'IDEMPOTENCY_IN_PROGRESS');
    release();
    await first;
  });

  test('survives a gateway restart (durable in the data directory)', async () => {
    const first = await send('k-6', 9);
    const restarted = await testApp({ routes: [echoRoutes], dataDir: t.dataDir });
    try {
      const again = await restarted.inject({
        method: 'POST',
        url: '/echo',
        payload: { n: 9 },
        headers: { authorization: await restarted.bearer('clinician1'), 'idempotency-key': 'k-6' },
      });
      expect(again.json()).toEqual(first.json());
      expect(restarted.ledger.calls).toHaveLength(0);
    } finally {
      await restarted.app.close();
    }
  });

  test('an invalid key → 400', async () => {
    expectProblem(await send('has space', 1), 400, 'INVALID_IDEMPOTENCY_KEY');
  });
});

describe('operations', () => {
  test('OpenAPI JSON at /docs/json lists the routes and security schemes', async () => {
    const res = await t.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown>; components: { securitySchemes: object } }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/echo', '/health/ready']));
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });

  test('Swagger UI at /docs', async () => {
    const res = await t.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  test('/metrics exposes request and error counters', async () => {
    await t.inject({ method: 'GET', url: '/nope' });
    const res = await t.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('healthledger_http_request_duration_seconds');
    expect(res.body).toMatch(/healthledger_http_errors_total\{code="NOT_FOUND",status="404"\} 1/);
    // Node.js defaults too, event-loop lag included (sampled every EVENT_LOOP_SAMPLE_MS).
    expect(res.body).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});

test('routing errors (an overlong path segment) are problem+json too', async () => {
  const withParam: RouteModule = (app) => {
    app.get('/things/:id', async () => Promise.resolve({}));
  };
  const t2 = await testApp({ routes: [withParam] });
  try {
    const res = await t2.inject({ method: 'GET', url: `/things/${'a'.repeat(300)}` });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'URI_TOO_LONG', status: 414 });
  } finally {
    await t2.close();
  }
});
