/**
 * Audit: a record is written and amended, and a clinician without consent asks for it; an
 * auditor then reads the record's history, the patient's accounting of disclosures, and verifies
 * the ledger's hash chain block by block.
 *
 *   node examples/audit.mjs        (with `npm start` running)
 */
import { login, newId, run, step } from './lib/healthledger.mjs';

await run('Audit: history, accounting of disclosures, hash-chain verification', async () => {
  const clinician = await login('clinician1');
  const outsider = await login('clinician2');
  const auditor = await login('auditor1');
  // Patient 2: the referral example consents patient 1's records to Hospital 2 for a while.
  const patientRef = (await login('patient2')).identity.patientRef;
  const today = new Date().toISOString().slice(0, 10);

  step('Something to audit: Hospital 1 records a blood pressure and amends it; Hospital 2 asks for it without consent');
  const recordId = newId('rec');
  await clinician.post('/records', { recordId, patientRef, category: 'lab-result', content: { resourceType: 'Observation', code: { text: 'BP' }, value: '120/80' } });
  await clinician.post(`/records/${recordId}/versions`, { expectedVersion: 1, content: { resourceType: 'Observation', code: { text: 'BP' }, value: '118/79' } });
  const denied = await outsider.post(`/records/${recordId}/access`, { purpose: 'TREAT' });
  console.log(`   record ${recordId} at version 2; Hospital 2's request: ${denied.outcome}`);

  step('The auditor reads the record\'s history: every committed change, newest first');
  const history = await auditor.get(`/audit/history/record/${recordId}`);
  for (const change of history.items) {
    console.log(`   ${change.time} version ${change.value?.version} by ${change.actor?.org} ${change.actor?.role}, transaction ${change.txId.slice(0, 12)}…`);
  }

  step('The accounting of disclosures for the patient: who asked for what, when, and the decision');
  const log = await auditor.get(`/patients/${patientRef}/disclosures?from=${today}&to=2100-01-01&limit=100`);
  for (const entry of log.items.filter((d) => d.entity.recordId === recordId)) {
    console.log(`   ${entry.recorded} ${entry.agent.org} ${entry.agent.role} ${entry.purpose} → ${entry.outcome}${entry.reason ? ` (${entry.reason})` : ''}`);
  }

  step('The auditor verifies the ledger: each block\'s hashes and its link to the previous block');
  const ledger = await auditor.get('/ledger');
  const verification = await auditor.post('/ledger/verification', {});
  console.log(`   height ${ledger.height}; valid: ${verification.valid}, ${verification.checkedBlocks} blocks checked`);
  if (!verification.valid) throw new Error(`the hash chain does not verify: ${JSON.stringify(verification)}`);
});
