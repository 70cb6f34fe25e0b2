/**
 * Idempotency across a crash: `npm start` (the devnet and the gateway in one process) is killed
 * outright while a record amendment or creation with an `Idempotency-Key` is under way — before
 * its transaction is submitted, after it is submitted and before it commits, after it commits and
 * before the response — then started again on the same data, and the same request is sent again.
 * The replay must answer as the first request would have, under the transaction id the first
 * recorded, with exactly one effect (one new version). The stop is the gateway's test-only
 * HEALTHLEDGER_CRASH_AT (fabric/crash-points.ts). Runs the built output (`npm test` builds first).
 */
import { CrashHarness, type Api, type CrashRun } from './crash-harness';
import { uid, type Json } from './http';

jest.setTimeout(180_000);

const PATIENT = 'pt-0c5f1a9e';

const harness = new CrashHarness();
afterAll(() => harness.close());

interface Case {
  /** What the request does. */
  request: 'amend' | 'create';
  /** The crash point of a start that runs this case alone. */
  crashAt: string;
  /**
   * The crash point of the restart that replays the case before and then runs this one: its count
   * adds the journaled submits of that replay which reach the stage. A replay resumes the
   * transaction the first run recorded, so it never reaches `before-submit`; found committed, it
   * reaches nothing more; sent again, `after-submit` and `after-commit` once each.
   */
  chained: string;
}

// An amendment is one submit, where a second effect is a second version. A creation is two: the
// content is staged first (private data), then the record created; ":2" stops at the creation.
// The restart that checks a case is armed with the next case's crash point and runs it (five
// starts for four cases, not eight), in an order where every replay's stages are known: after a
// stop at `after-submit` the transaction may or may not have committed, so the next arm is
// `before-submit`, which no replay reaches; a stop at `before-submit` is sent again on replay
// (one `after-commit` before the next case's); one at `after-commit` is found committed.
const CASES: Case[] = [
  { request: 'amend', crashAt: 'after-submit', chained: 'after-submit' },
  { request: 'amend', crashAt: 'before-submit', chained: 'before-submit' },
  { request: 'amend', crashAt: 'after-commit', chained: 'after-commit:2' },
  { request: 'create', crashAt: 'after-submit:2', chained: 'after-submit:2' },
];

/** The restart that checked the case before, armed with the next case's `chained` crash point. */
let handedOver: CrashRun | undefined;

test.each(CASES)('killed at $crashAt of a keyed $request, the replay commits once and answers under the recorded transaction id', async (c) => {
  const { request, crashAt } = c;
  // Without the case before (the first, or run alone with -t), a start of its own.
  const crashing = handedOver ?? (await harness.start({ HEALTHLEDGER_CRASH_AT: crashAt }));
  handedOver = undefined;
  const recordId = uid('crash');
  const creation = { recordId, patientRef: PATIENT, category: 'lab-result', content: { v: 1 } };
  if (request === 'amend') expect((await crashing.api.post('clinician1', '/records', creation)).status).toBe(201);
  const key = uid('key');
  const send = (api: Api) =>
    request === 'amend'
      ? api.post('clinician1', `/records/${recordId}/versions`, { content: { v: 2 } }, { 'idempotency-key': key })
      : api.post('clinician1', '/records', creation, { 'idempotency-key': key });
  // The process dies mid-request: the client sees the connection drop, never an answer.
  await expect(send(crashing.api)).rejects.toThrow();
  expect(await crashing.died()).toBe(true);
  const recorded = harness.recordedTxIds();
  expect(recorded.length).toBeGreaterThan(0);

  const following = CASES[CASES.indexOf(c) + 1];
  const restarted = await harness.start(following ? { HEALTHLEDGER_CRASH_AT: following.chained } : {});
  let checked = false;
  try {
    const first = await send(restarted.api);
    const version = request === 'amend' ? 2 : 1;
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 201, body: { recordId, version } });
    const txId = first.headers.get('x-transaction-id');
    // Stopped at the last submit, the replay answers under the id the first run recorded for it.
    expect(recorded).toContain(txId);
    expect(harness.pending()).toEqual([]);

    const again = await send(restarted.api);
    expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), txId: again.headers.get('x-transaction-id') }).toEqual({
      status: 201,
      replayed: 'true',
      txId,
    });
    expect((await restarted.api.get('clinician1', `/records/${recordId}`)).body.version).toBe(version);
    const history = await restarted.api.get('auditor1', `/audit/history/record/${recordId}`);
    expect(history.body.items).toHaveLength(version);
    expect(history.body.items.map((item: Json) => item.txId)).toContain(txId);
    const tx = await restarted.api.get('auditor1', `/ledger/transactions/${txId}`);
    expect(tx.body).toMatchObject({ txId, validation: 'VALID', function: request === 'amend' ? 'records:amendRecord' : 'records:createRecord' });
    checked = true;
  } finally {
    // A restart whose checks failed is not handed over: the next case starts on its own.
    if (checked && following) handedOver = restarted;
    else await restarted.kill();
  }
});
