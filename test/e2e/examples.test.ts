/**
 * The walkthrough in examples/ runs: `npm start` (devnet, chaincode and gateway, on free ports)
 * once, then each example script as a hospital developer would run it, against the gateway's
 * URL. Each must exit 0 and print its journey's key lines. The start is then stopped as a
 * supervisor may stop it, SIGINT to npm alone, and checked to stop whole (`expectStopsOnSignal`;
 * SIGTERM is checked by quiet-logs.test.ts). Runs the built output (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectStopsOnSignal, ROOT, startNpm, stopGroup, type NpmStart } from './npm-start';

jest.setTimeout(120_000);

const run = promisify(execFile);

let dir: string;
let started: NpmStart | undefined;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-examples-'));
  started = await startNpm({ dir, dataDir: path.join(dir, 'data') });
}, 120_000);
afterAll(async () => {
  // What the signal test left running (it failed, or was not run).
  await stopGroup(started?.npm);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `examples/<name>.mjs` against the started gateway: its exit code and what it printed. */
async function example(name: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'examples', `${name}.mjs`)], {
      env: { ...process.env, HEALTHLEDGER_URL: `http://127.0.0.1:${started!.port}` },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The scripts are independent (ids of their own): they run side by side. */
const outputs = new Map<string, Promise<{ code: number; output: string }>>();
const result = (name: string) => {
  if (!outputs.has(name)) outputs.set(name, example(name));
  return outputs.get(name)!;
};
beforeAll(() => {
  for (const name of ['referral', 'claim', 'drug-trace', 'audit']) void result(name);
});

test('referral: denied without consent, granted with it, content read, both in the disclosure log', async () => {
  const { code, output } = await result('referral');
  expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('done') });
  expect(output).toContain('outcome: denied (no-consent)');
  expect(output).toMatch(/outcome: granted on the basis of consent cns-/);
  expect(output).toContain('content: {"resourceType":"Observation"');
  expect(output).toMatch(/disclosure: Hospital2MSP clinician TREAT → denied[\s\S]*disclosure: Hospital2MSP clinician TREAT → granted/);
});

test('claim: pended for review, approved, paid', async () => {
  const { code, output } = await result('claim');
  expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('done') });
  expect(output).toMatch(/claim clm-\S+: pended/);
  expect(output).toContain('diagnoses: E11.9');
  expect(output).toMatch(/approved: benefit \$\d+\.\d\d/);
  expect(output).toMatch(/: paid, \$\d+\.\d\d paid/);
});

test('drug trace: commissioned, shipped twice, received, verified authentic, dispensed', async () => {
  const { code, output } = await result('drug-trace');
  expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('done') });
  expect(output).toContain('3 packs commissioned');
  expect(output).toContain('authentic: true, suspect: false, status active, owner Hospital1MSP');
  expect(output).toContain('status: dispensed');
  expect(output).toMatch(/ObjectEvent commissioning[\s\S]*ObjectEvent receiving[\s\S]*ObjectEvent dispensing/);
});

test('audit: history of both versions, the denied request in the accounting, a valid hash chain', async () => {
  const { code, output } = await result('audit');
  expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('done') });
  expect(output).toMatch(/version 2 by Hospital1MSP clinician[\s\S]*version 1 by Hospital1MSP clinician/);
  expect(output).toMatch(/Hospital2MSP clinician TREAT → denied \(no-consent\)/);
  expect(output).toMatch(/valid: true, \d+ blocks checked/);
});

test('SIGINT sent to the npm process alone stops everything, keeping the data', async () => {
  // After the scripts, whether or not they passed: they need the running gateway.
  await Promise.allSettled(['referral', 'claim', 'drug-trace', 'audit'].map(result));
  await expectStopsOnSignal(started!, 'SIGINT');
});
