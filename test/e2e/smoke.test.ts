import { client } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startE2e('smoke');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

test('ready, docs and a round trip through the real devnet', async () => {
  const ready = await api.as().GET('/health/ready');
  expect(ready.response.status).toBe(200);
  const consents = await api.as('patient1').GET('/patients/{patientRef}/consents', { params: { path: { patientRef: 'pt-0c5f1a9e' } } });
  expect(consents.response.status).toBe(200);
  expect(consents.data).toEqual({ items: [] });
  // Raw fetches: /metrics (Prometheus text) and /docs/json (the document itself) are not operations of the API document.
  const metrics = await (await fetch(`${net.baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/healthledger_fabric_call_duration_seconds_count\{operation="evaluate",fn="consent:listConsents",outcome="ok"\} 1/);
  expect(metrics).toMatch(/healthledger_http_request_duration_seconds_count\{method="GET",route="\/patients\/:patientRef\/consents",status="200"\} 1/);
  const docs = await (await fetch(`${net.baseUrl}/docs/json`)).json();
  expect(Object.keys((docs as { paths: object }).paths).length).toBeGreaterThan(60);
});
