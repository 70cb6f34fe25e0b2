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
});
