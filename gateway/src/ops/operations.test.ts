import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { RouteModule } from '../routes/context';
import { tokenVerifier, TokenError } from '../auth/tokens';
import { recordRoutes } from '../routes/contracts/records';
import { testApp, type HttpResponse } from '../testing/test-app';

const slow: RouteModule = (app) => {
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 300));
    return { done: true };
  });
};

test('rate limiting answers 429 problem+json with Retry-After', async () => {
  const t = await testApp({ env: { HEALTHLEDGER_RATE_LIMIT: '2' } });
  try {
    const responses: HttpResponse[] = [];
    for (let i = 0; i < 3; i++) responses.push(await t.inject({ method: 'GET', url: '/health/live' }));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    const last = responses[2]!;
    expect(last.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(last.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  } finally {
    await t.close();
  }
});

test('graceful shutdown drains in-flight requests', async () => {
  const t = await testApp({ routes: [slow] });
  const inFlight = t.inject({ method: 'GET', url: '/slow', headers: { authorization: await t.bearer('clinician1') } });
  await new Promise((r) => setTimeout(r, 50));
  const closing = t.app.close();
  const res = await inFlight;
  await closing;
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ done: true });
  await t.close();
});

test('logs carry request ids but no bodies, transient content or credentials', async () => {
  const logLines: string[] = [];
  const t = await testApp({ routes: [recordRoutes], logLines });
  try {
    const authorization = await t.bearer('clinician1');
    await t.inject({
      method: 'POST',
      url: '/records',
      payload: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', content: { name: 'PHI-Jane-Doe' } },
      headers: { authorization, 'x-request-id': 'req-log-1' },
    });
    const all = logLines.join('\n');
    expect(all).toContain('req-log-1');
    expect(all).not.toContain('PHI-Jane-Doe');
    expect(all).not.toContain(authorization.slice(7));
  } finally {
    await t.close();
  }
});

test('JWKS (RS256) tokens from an OIDC provider are verified against its key set', async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
    const verifier = tokenVerifier({ secret: undefined, jwksUrl: url, issuer: 'https://idp.example', audience: 'healthledger', maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 })!;
    const sign = (claims: Record<string, unknown>, issuer = 'https://idp.example') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('clinician1').setIssuer(issuer).setAudience('healthledger').setExpirationTime('5m').sign(privateKey);
    await expect(verifier.verify(await sign({ msp: 'Hospital1MSP' }))).resolves.toEqual({ name: 'clinician1', mspId: 'Hospital1MSP' });
    await expect(verifier.verify(await sign({ msp: 'Hospital1MSP' }, 'https://evil.example'))).rejects.toBeInstanceOf(TokenError);
    await expect(verifier.verify(await sign({}))).rejects.toThrow(/msp/);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

describe('/health/ready', () => {
  test('503 with Retry-After when the ledger fails', async () => {
    const t = await testApp({
      handler: () => {
        throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7051');
      },
    });
    try {
      const res = await t.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).not.toContain('7051');
    } finally {
      await t.close();
    }
  });

  // The ledger never answers: without the readiness deadline this request would hang past the test's own timeout.
  test('503 within the readiness deadline when the ledger hangs', async () => {
    const t = await testApp({ handler: () => new Promise(() => undefined), env: { HEALTHLEDGER_READY_DEADLINE_MS: '100' } });
    try {
      const res = await t.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
    } finally {
      await t.close();
    }
  }, 10_000);
});
