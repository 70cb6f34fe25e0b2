/**
 * The console in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against `npm start`. An auditor signs in, finds a transaction by id, verifies
 * the chain and reads a patient's disclosures; a distributor follows a pack's journey; an
 * adjudicator opens a claim adjudicated through the API and reads its lifecycle and lines; an
 * operator reads the network status (peer heights, the chaincode definition, the ordering service)
 * and metrics, then the ledger at tablet width. axe-core checks each page
 * for WCAG 2 A/AA violations. Screenshots go to test-artifacts/console/.
 * Without /usr/bin/chromium the suite is skipped (CI installs it: .ci/run).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gs1CheckDigit } from '@healthledger/contract-api';
import { chromium, type Browser, type Page } from 'playwright-core';
import { client, uid, type Json } from './http';
import { ROOT, startNpm, stopGroup, until, type NpmStart } from './npm-start';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'console');
const PATIENT = 'pt-0c5f1a9e';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const suite = existsSync(CHROMIUM) ? describe : describe.skip;
const title = existsSync(CHROMIUM) ? 'console in headless Chromium' : `console in headless Chromium (skipped: ${CHROMIUM} is not installed; .ci/run installs it)`;

suite(title, () => {
  let dir: string;
  let npm: NpmStart | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let txId: string;
  let api: ReturnType<typeof client>;
  const gtinBody = `0950600${String(Math.floor(Math.random() * 900_000) + 100_000)}`;
  const gtin = gtinBody + String(gs1CheckDigit(gtinBody));
  const claimId = uid('cl');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'console-browser-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    npm = await startNpm({ dir, dataDir: path.join(dir, 'data') });
    base = `http://127.0.0.1:${npm.port}`;
    api = client({ urlFor: () => base, bearer: async (user) => `Bearer ${await devToken(base, user)}` });
    const ok = async (reply: Promise<{ status: number; body: Json }>, status: number) => {
      const r = await reply;
      if (r.status !== status) throw new Error(`${status} expected, got ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    // A record, a denied access request (a disclosure), and a pack with a journey.
    const recordId = uid('rec');
    await ok(api.post('clinician1', '/records', { recordId, patientRef: PATIENT, category: 'clinical-note', content: { note: 'never on screen' } }), 201);
    const access = await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'TREAT' });
    txId = String(access.headers.get('x-transaction-id') ?? '');
    await ok(api.post('manufacturer1', '/products', { gtin, companyPrefixLength: 7, name: 'Console test pen', strength: '1 mg', dosageForm: 'tablet', packSize: 1, storage: { minCelsius: 2, maxCelsius: 8 } }), 201);
    await ok(api.post('manufacturer1', '/packs/commission', { gtin, lot: 'LC1', expiry: '2030-06-30', serials: ['C1'] }), 201);
    await ok(api.post('manufacturer1', '/shipments', { shipmentId: uid('S'), to: 'DistributorMSP', packs: [{ gtin, serial: 'C1' }], transactionDate: '2026-03-01', transactionStatement: { attested: true } }), 201);
    // A claim with a line under manual review: pended, approved by the adjudicator, paid.
    const coverageId = uid('cov');
    await ok(
      api.post('adjudicator1', '/coverages', {
        coverageId, patientRef: PATIENT, planId: uid('plan'), period: { start: '2020-01-01', end: '2099-12-31' }, currency: 'USD',
        deductible: 0, copay: 0, coinsuranceBps: 2_000, outOfPocketMax: 100_000, autoAdjudicationLimit: 50_000,
        benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '99214', manualReview: true }],
      }),
      201,
    );
    const items = [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 10_000 }, { system: 'CPT', code: '99214', quantity: 1, unitPrice: 20_000 }];
    const detail = { nonce: 'n0nce-0123456789abcdefghij', diagnoses: [{ sequence: 1, code: 'E11.9' }] };
    const submitted = await ok(api.post('billing1', '/claims', { claimId, patientRef: PATIENT, payer: 'InsurerMSP', coverageId, serviceDate: '2026-02-02', currency: 'USD', items, total: 30_000, detail }), 201);
    if (submitted.status !== 'pended') throw new Error(`the claim should be pended, it is ${String(submitted.status)}`);
    const approved = await ok(api.post('adjudicator1', `/claims/${claimId}/adjudication`, { decision: 'approve' }), 200);
    const benefit = (approved.adjudication as { current: { totals: { benefit: number } } }).current.totals.benefit;
    await ok(api.post('adjudicator1', `/claims/${claimId}/payment`, { amount: benefit, currency: 'USD', reference: 'eft-console' }), 200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopGroup(npm?.npm);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(user: string): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${base}/console/`);
    await page.getByLabel('Demo user (devnet)').fill(user);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`${user} ·`).waitFor();
  }

  async function noAxeViolations(): Promise<void> {
    // Evaluated through the debugging protocol: the page's CSP (script-src 'self') stays on.
    await page.evaluate(AXE);
    // A string, not a function: this project's Node typings have no DOM.
    const violations = await page.evaluate<string[]>(`axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.nodes.length + ')'))`);
    expect(violations).toEqual([]);
  }

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  test('an auditor finds a transaction by id and verifies the chain', async () => {
    await signIn('auditor1');
    expect(await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents()).toEqual(['Ledger', 'Integrity', 'Patient', 'Supply', 'Claims', 'Operations']);
    expect(txId).toMatch(/^[0-9a-f]{64}$/);
    await page.getByLabel('Search the ledger').fill(txId);
    await page.getByRole('button', { name: 'Search' }).click();
    const detail = page.locator(`article.tx[data-txid="${txId}"]`);
    await detail.waitFor();
    expect(await detail.textContent()).toContain('records:requestAccess');
    expect(await detail.textContent()).toContain('Hospital2MSP');
    expect(await detail.textContent()).toContain('clinician');
    expect(await page.content()).not.toContain('never on screen');
    await noAxeViolations();
    await shot('ledger-transaction');

    // Live: a new transaction reaches the page through the event stream, without a reload.
    const height = Number(await page.getByTestId('height').textContent());
    const recordId = uid('rec');
    expect((await api.post('clinician1', '/records', { recordId, patientRef: PATIENT, category: 'other', content: { note: 'x' } })).status).toBe(201);
    // Polled from here: waitForFunction evaluates a string in the page, which its CSP (no unsafe-eval) refuses.
    expect(await until(async () => Number(await page.getByTestId('height').textContent()) > height, 30_000)).toBe(true);
    expect(await page.getByText('● live').count()).toBe(1);

    await page.getByRole('link', { name: 'Integrity' }).click();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/Chain intact: \d+ blocks verified/).waitFor();
    await noAxeViolations();
    await shot('integrity-verified');
  });

  test("an auditor opens a patient's disclosures and filters them", async () => {
    await page.getByRole('link', { name: 'Patient' }).click();
    await page.getByLabel('Patient reference').fill(PATIENT);
    await page.getByRole('button', { name: 'Show disclosures' }).click();
    await page.getByText(/\d+ of \d+ disclosure\(s\)/).waitFor();
    await page.getByLabel('Outcome').selectOption('denied');
    const shown = page.getByRole('list', { name: 'Disclosures' }).getByRole('listitem');
    expect(await shown.count()).toBeGreaterThan(0);
    expect(await shown.first().textContent()).toContain('Hospital2MSP');
    await noAxeViolations();
    await shot('patient-disclosures');
  });

  test("a distributor follows a pack's journey across organisations", async () => {
    await signIn('distributor1');
    await page.getByRole('link', { name: 'Supply' }).click();
    await page.getByLabel('GTIN').first().fill(gtin);
    await page.getByLabel('Serial').fill('C1');
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByRole('list', { name: 'Journey' }).waitFor();
    expect(await page.getByRole('list', { name: 'Journey' }).getByRole('listitem').count()).toBe(2);
    expect(await page.getByRole('list', { name: 'Custody' }).textContent()).toMatch(/ManufacturerMSP.*DistributorMSP/);
    await noAxeViolations();
    await shot('supply-journey');
  });

  test("an adjudicator opens a claim and sees its lifecycle and adjudication lines, never its clinical detail", async () => {
    await signIn('adjudicator1');
    await page.getByRole('link', { name: 'Claims' }).click();
    await page.getByLabel('Claim id').fill(claimId);
    await page.getByRole('button', { name: 'Show claim' }).click();
    const steps = page.getByRole('list', { name: 'Lifecycle' }).getByRole('listitem');
    await steps.first().waitFor();
    const lifecycle = await steps.allTextContents();
    expect(lifecycle[0]).toContain('Submitted by Hospital1MSP to InsurerMSP');
    expect(lifecycle.some((step) => step.includes('Pended: MANUAL_REVIEW_CODE'))).toBe(true);
    expect(lifecycle.some((step) => /Adjudication round \d+ \(\w+\): approved/.test(step))).toBe(true);
    expect(lifecycle[lifecycle.length - 1]).toMatch(/Paid [0-9.]+ USD \(eft-console\)/);
    const lines = page.getByRole('table', { name: /Adjudication lines/ });
    expect(await lines.locator('tbody tr').count()).toBe(2);
    expect(await lines.textContent()).toContain('CPT 99214');
    expect(await page.content()).not.toContain('E11.9');
    await noAxeViolations();
    await shot('claims-lifecycle');
  });

  test("an operator sees each organisation's peer height, the chaincode definition, the ordering service and the gateway's metrics, on a tablet too", async () => {
    await signIn('admin1');
    await page.getByRole('link', { name: 'Operations' }).click();
    const peers = page.getByRole('table', { name: 'Height per organisation peer' });
    await peers.waitFor();
    expect(await peers.getByRole('row').count()).toBeGreaterThanOrEqual(6);
    expect(await peers.textContent()).toContain('in sync');
    const definition = page.getByRole('region', { name: 'Chaincode definition' });
    expect(await definition.getByRole('heading').textContent()).toMatch(/^Chaincode definition: healthledger \S+, sequence \d+$/);
    // The consortium's endorsement policy as committed; it defines no explicit collections.
    expect(await definition.textContent()).toContain("OutOf(2, 'Hospital1MSP.peer', 'Hospital2MSP.peer'");
    expect(await definition.textContent()).toContain('No explicit private data collections');
    const ordering = page.getByRole('region', { name: 'Ordering service' });
    expect(await ordering.getByRole('heading').textContent()).toBe('Ordering service: etcdraft');
    expect(await ordering.getByRole('table', { name: 'Orderer organisations' }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await page.getByRole('img', { name: 'Requests by route' }).waitFor();
    await noAxeViolations();
    await shot('operations');
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('link', { name: 'Ledger' }).click();
    await page.getByRole('list', { name: 'Newest blocks' }).getByRole('button').first().waitFor();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot('ledger-tablet');
  });
});

async function devToken(base: string, user: string): Promise<string> {
  const res = await fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  return ((await res.json()) as { access_token: string }).access_token;
}
