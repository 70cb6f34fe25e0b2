/**
 * A crash under load: keyed record creations and amendments go to `npm start` a few at a time,
 * the gateway process is killed outright (kill -9, and with it the devnet) once some have been
 * answered, started again on the same data, and every key is sent again. No answered request may
 * be lost (its replay is the same answer, its transaction on the ledger), none may take effect
 * twice (one version per creation, two per amended record), every replay succeeds, and the
 * ledger's hash chain verifies. Runs the built output (`npm test` builds first).
 */
import { CrashHarness, type Api } from './crash-harness';
import { uid, type Json, type Reply } from './http';

jest.setTimeout(180_000);

const PATIENT = 'pt-0c5f1a9e';
/** Keyed creations and keyed amendments (of records created beforehand) in the load. */
const PER_KIND = 16;
/** Requests in flight at once. */
const IN_FLIGHT = 8;
/** Answers received before the kill. */
const KILL_AFTER = 10;

const harness = new CrashHarness();
afterAll(() => harness.close());

interface KeyedRequest {
  key: string;
  recordId: string;
  kind: 'create' | 'amend';
}

function send(api: Api, r: KeyedRequest): Promise<Reply> {
  const headers = { 'idempotency-key': r.key };
  return r.kind === 'create'
    ? api.post('clinician1', '/records', { recordId: r.recordId, patientRef: PATIENT, category: 'lab-result', content: { v: 1 } }, headers)
    : api.post('clinician1', `/records/${r.recordId}/versions`, { content: { v: 2 } }, headers);
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function bounded<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

test('kill -9 mid-load: no answered submit lost, no effect twice, every key completes, the hash chain verifies', async () => {
  const run = await harness.start();
  const amended = Array.from({ length: PER_KIND }, () => uid('load-amend'));
  await bounded(IN_FLIGHT, amended, async (recordId) => {
    const created = await run.api.post('clinician1', '/records', { recordId, patientRef: PATIENT, category: 'lab-result', content: { v: 1 } });
    expect(created.status).toBe(201);
  });
  const requests: KeyedRequest[] = amended.flatMap((recordId) => [
    { key: uid('key'), recordId, kind: 'amend' as const },
    { key: uid('key'), recordId: uid('load-create'), kind: 'create' as const },
  ]);

  const answered = new Map<string, Reply>();
  let killed: Promise<void> | undefined;
  await bounded(IN_FLIGHT, requests, async (r) => {
    if (killed) return; // never sent: replayed below like the rest
    try {
      answered.set(r.key, await send(run.api, r));
    } catch {
      return; // the connection dropped with the process
    }
    if (answered.size === KILL_AFTER) killed = run.kill();
  });
  await killed;
  expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(answered.size).toBeLessThan(requests.length);
  for (const reply of answered.values()) expect(reply.status).toBe(201);

  const restarted = await harness.start();
  try {
    const replies = new Map<string, Reply>();
    await bounded(IN_FLIGHT, requests, async (r) => {
      replies.set(r.key, await send(restarted.api, r));
    });
    for (const r of requests) {
      const reply = replies.get(r.key) as Reply;
      expect({ key: r.key, status: reply.status }).toEqual({ key: r.key, status: 201 });
      const first = answered.get(r.key);
      if (first) {
        expect({ txId: reply.headers.get('x-transaction-id'), replayed: reply.headers.get('idempotent-replayed') }).toEqual({
          txId: first.headers.get('x-transaction-id'),
          replayed: 'true',
        });
      }
      // One effect per key: the creation made version 1, the amendment version 2, nothing more.
      const history = await restarted.api.get('auditor1', `/audit/history/record/${r.recordId}`);
      expect({ recordId: r.recordId, versions: history.body.items.length }).toEqual({ recordId: r.recordId, versions: r.kind === 'create' ? 1 : 2 });
      expect(history.body.items.map((item: Json) => item.txId)).toContain(reply.headers.get('x-transaction-id'));
    }
    expect(harness.pending()).toEqual([]);
    const verification = await restarted.api.post('auditor1', '/ledger/verification', {});
    expect(verification.body).toMatchObject({ valid: true });
  } finally {
    await restarted.kill();
  }
});
