/**
 * Referral: Hospital 1 records a lab result; the patient consents to Hospital 2's clinicians for
 * treatment; a Hospital 2 clinician requests access (logged as a disclosure) and reads the
 * content; the patient sees the disclosure in their accounting.
 *
 *   node examples/referral.mjs        (with `npm start` running)
 */
import { login, newId, run, step } from './lib/healthledger.mjs';

await run('Referral from Hospital 1 to Hospital 2', async () => {
  const hospital1 = await login('clinician1');
  const hospital2 = await login('clinician2');
  const patient = await login('patient1');
  const patientRef = patient.identity.patientRef; // the patient's pseudonymous reference, never a name
  const today = new Date().toISOString().slice(0, 10);

  step('Hospital 1 records a lab result (the content stays on Hospital 1\'s peers; the ledger keeps its hash)');
  const recordId = newId('rec');
  const record = await hospital1.post('/records', {
    recordId,
    patientRef,
    category: 'lab-result',
    content: { resourceType: 'Observation', code: { text: 'HbA1c' }, valueQuantity: { value: 7.1, unit: '%' } },
  });
  console.log(`   record ${record.recordId}, version ${record.version}, custodian ${record.custodian}`);

  step('Before any consent, Hospital 2 asks for access: the request is decided and logged, and denied');
  const denied = await hospital2.post(`/records/${recordId}/access`, { purpose: 'TREAT' });
  console.log(`   outcome: ${denied.outcome} (${denied.reason})`);

  step('The patient consents to Hospital 2\'s clinicians, for treatment');
  const consentId = newId('cns');
  await patient.post('/consents', {
    consentId,
    patientRef,
    grantee: { org: 'Hospital2MSP', role: 'clinician' },
    period: { start: today },
    provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
  });
  console.log(`   consent ${consentId} is active`);

  step('Hospital 2 asks again: granted, for a one-hour read window');
  const granted = await hospital2.post(`/records/${recordId}/access`, { purpose: 'TREAT' });
  console.log(`   outcome: ${granted.outcome} on the basis of ${granted.basis} ${granted.consentId}, until ${granted.expiresAt}`);

  step('Hospital 2 reads the content (from Hospital 1\'s peer)');
  // The answer is the stored document itself, under its media type (JSON in, JSON out).
  const read = await hospital2.get(`/records/${recordId}/content`);
  console.log(`   content: ${JSON.stringify(read)}`);

  step('The patient\'s accounting of disclosures shows both requests');
  const log = await patient.get(`/patients/${patientRef}/disclosures?from=${today}&to=2100-01-01&limit=100`);
  for (const entry of log.items.filter((d) => d.entity.recordId === recordId)) {
    console.log(`   disclosure: ${entry.agent.org} ${entry.agent.role} ${entry.purpose} → ${entry.outcome} at ${entry.recorded}`);
  }

  step('The patient withdraws the consent; Hospital 2\'s read window closes at once');
  await patient.post(`/consents/${consentId}/revocation`, {});
  console.log('   consent revoked');
});
