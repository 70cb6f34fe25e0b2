import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
beforeAll(async () => {
  net = await startE2e('smoke');
}, 120_000);
afterAll(async () => net?.stop());

test('ready, docs and a round trip through the real devnet', async () => {
  const ready = await fetch(`${net.baseUrl}/health/ready`);
  expect(ready.status).toBe(200);
  const auth = await net.bearer('patient1');
  const res = await fetch(`${net.baseUrl}/patients/pt-0c5f1a9e/consents`, { headers: { authorization: auth } });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ items: [] });
  const metrics = await (await fetch(`${net.baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/healthledger_fabric_call_duration_seconds_count\{operation="evaluate",fn="consent:listConsents",outcome="ok"\} 1/);
  expect(metrics).toMatch(/healthledger_http_request_duration_seconds_count\{method="GET",route="\/patients\/:patientRef\/consents",status="200"\} 1/);
  const docs = await (await fetch(`${net.baseUrl}/docs/json`)).json();
  expect(Object.keys((docs as { paths: object }).paths).length).toBeGreaterThan(60);
});
