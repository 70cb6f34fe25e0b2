/**
 * A claim: the insurer registers the patient's coverage; Hospital 1's billing checks eligibility
 * and submits a claim (its clinical detail stays private to provider and insurer); the insurer
 * adjudicates the line that needs review and pays the benefit.
 *
 * Money is in integer minor units of the named ISO 4217 currency: 15000 with `USD` is $150.00.
 *
 *   node examples/claim.mjs        (with `npm start` running)
 */
import { randomBytes } from 'node:crypto';
import { login, newId, run, step } from './lib/healthledger.mjs';

const usd = (cents) => `$${(cents / 100).toFixed(2)}`;

await run('Claim: coverage, submission, adjudication, payment', async () => {
  const insurer = await login('adjudicator1');
  const billing = await login('billing1');
  const patientRef = (await login('patient1')).identity.patientRef;

  step('The insurer registers the patient\'s coverage: its plan\'s cost sharing and covered codes');
  const coverageId = newId('cov');
  await insurer.post('/coverages', {
    coverageId,
    patientRef,
    planId: 'gold-2026',
    period: { start: '2020-01-01', end: '2099-12-31' },
    currency: 'USD',
    deductible: 0,
    copay: 2_000, // $20.00 per line
    coinsuranceBps: 1_000, // 10 % after the copay
    outOfPocketMax: 500_000,
    benefits: [
      { system: 'CPT', code: '99213' },
      { system: 'CPT', code: '99214', manualReview: true }, // claims with this code wait for the insurer
    ],
  });
  console.log(`   coverage ${coverageId}, payer InsurerMSP`);

  // A service date inside the coverage: the ledger flags a second claim for the same patient, date and codes as a duplicate.
  const serviceDate = new Date(Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 1500) * 86_400_000).toISOString().slice(0, 10);
  const items = [
    { system: 'CPT', code: '99213', quantity: 1, unitPrice: 12_000 },
    { system: 'CPT', code: '99214', quantity: 1, unitPrice: 18_000 },
  ];

  step('Billing asks what the plan would pay (nothing is written)');
  const estimate = await billing.post('/eligibility-checks', { coverageId, patientRef, serviceDate, currency: 'USD', items });
  console.log(`   in force: ${estimate.inForce}, outcome ${estimate.outcome}${estimate.pendReasons.length ? ` (would pend: ${estimate.pendReasons.join(', ')})` : ''}; estimated benefit ${usd(estimate.totals.benefit)}, patient pays ${usd(estimate.totals.patientResponsibility)}`);

  step('Billing submits the claim; the diagnoses travel as private detail, salted by a random nonce');
  const claimId = newId('clm');
  const submitted = await billing.post('/claims', {
    claimId,
    patientRef,
    payer: 'InsurerMSP',
    coverageId,
    serviceDate,
    currency: 'USD',
    items,
    total: 30_000,
    // The nonce salts the hash of the detail the ledger keeps, so the codes cannot be guessed from it.
    detail: { nonce: randomBytes(24).toString('base64url'), diagnoses: [{ sequence: 1, code: 'E11.9' }] },
  });
  console.log(`   claim ${claimId}: ${submitted.status} (99214 needs the insurer's review)`);

  step('The insurer reads the private detail and approves the claim');
  const detail = await insurer.get(`/claims/${claimId}/detail`);
  console.log(`   diagnoses: ${detail.detail.diagnoses.map((d) => d.code).join(', ')}`);
  const adjudicated = await insurer.post(`/claims/${claimId}/adjudication`, { decision: 'approve' });
  const totals = adjudicated.adjudication.current.totals;
  console.log(`   ${adjudicated.status}: benefit ${usd(totals.benefit)}, patient responsibility ${usd(totals.patientResponsibility)}`);

  step('The insurer records the payment of the benefit');
  await insurer.post(`/claims/${claimId}/payment`, { amount: totals.benefit, currency: 'USD', reference: `eft-${claimId}` });
  const paid = await billing.get(`/claims/${claimId}`);
  console.log(`   claim ${paid.claimId}: ${paid.status}, ${usd(paid.adjudication.payment.amount)} paid (reference ${paid.adjudication.payment.reference})`);
});
