import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT, CLAIMS, CONSENT, COVERAGE, EMERGENCY, RECORDS, RESEARCH, ROLES, TRACE, type OrgKind, type TransactionSpec } from '@healthledger/contract-api';
import { MemoryConsentIndex } from './consent-index';
import { accessTo, decide, eventFor, PATIENT_FIELDS, RULES, viewOf, type Access, type Viewer } from './entitlement';
import type { Change, LoggedEvent } from './log';

const KINDS: readonly OrgKind[] = ['provider', 'payer', 'manufacturer', 'distributor', 'regulator', 'research'];
const HERE = 'HereMSP';
const THERE = 'ThereMSP';
const NO_CONSENTS = new MemoryConsentIndex();

/**
 * One change of every type the chaincode emits, each naming organisation `org` in every field
 * that can name one (so a viewer of `org` is "party" to it, one of another organisation is not).
 */
function samples(org: string): Change[] {
  const patientRef = 'pt-0c5f1a9e';
  return [
    { type: 'record', id: 'rec-1', action: 'created', patientRef, custodian: org, version: 1 },
    { type: 'consent', id: 'con-1', action: 'granted', patientRef, grantee: org },
    { type: 'delegate', id: 'pt-5d2b7c40', action: 'registered', patientRef },
    { type: 'emergency', id: 'em-1', action: 'opened', patientRef, org, expiresAt: '2026-01-01T00:00:00.000Z' },
    { type: 'disclosure', id: 'dis-1', action: 'granted', recordId: 'rec-1', patientRef, custodian: org, org, emergency: false },
    { type: 'claim', id: 'clm-1', action: 'submitted', status: 'pended', provider: org, payer: org },
    { type: 'coverage', id: 'cov-1', action: 'registered', status: 'active', payer: org },
    { type: 'shipment', id: 'shp-1', action: 'shipped', from: org, to: org, packs: 2 },
    { type: 'product', id: '09506000134352', action: 'registered' },
    { type: 'lot', id: '09506000134352/L1', action: 'recalled', flagged: 2, remaining: 0, reason: 'quality' },
    { type: 'pack', id: '09506000134352/S1', action: 'dispensed', org },
    { type: 'pack', id: '09506000134352/S1', action: 'illegitimate_confirmed', holder: org, manufacturer: org },
    { type: 'packs', id: 'tx-1', action: 'destroyed', count: 2 },
    { type: 'container', id: '106141411234567897', action: 'packed', packs: 2, containers: 0 },
    { type: 'coldchain', id: 'tx-2', action: 'temperature_excursion', packs: 1 },
    { type: 'trial', id: 'trial-1', action: 'registered', sponsor: org },
    { type: 'trial-subject', id: 'trial-1/subj-1', action: 'enrolled', patientRef, site: org, sponsor: org },
  ];
}

/** Every role of every organisation kind, once as a party to the sample changes and once not. */
function viewers(): { viewer: Viewer; party: boolean }[] {
  return ROLES.flatMap((role) => KINDS.flatMap((orgKind) => [HERE, THERE].map((mspId) => ({ viewer: { mspId, role, orgKind }, party: mspId === HERE }))));
}

/**
 * The reads each change type mirrors, from the transaction catalogue: a full view needs the
 * caller gate of one of `full`, a view without patient references that of `partial`.
 */
const MIRRORS: Record<string, { full: TransactionSpec[]; partial?: TransactionSpec }> = {
  record: { full: [RECORDS.listRecords] },
  consent: { full: [CONSENT.getConsent] },
  delegate: { full: [CONSENT.listDelegates] },
  emergency: { full: [EMERGENCY.getEmergency] },
  disclosure: { full: [AUDIT.accountingOfDisclosures, RECORDS.listRecords], partial: RECORDS.requestAccess },
  claim: { full: [CLAIMS.get] },
  coverage: { full: [COVERAGE.get] },
  shipment: { full: [TRACE.getShipment] },
  product: { full: [TRACE.getProduct] },
  lot: { full: [TRACE.recallHolders] },
  pack: { full: [TRACE.getPack] },
  packs: { full: [TRACE.getPack] },
  container: { full: [TRACE.getPack] },
  coldchain: { full: [TRACE.getPack] },
  trial: { full: [RESEARCH.getTrial] },
  'trial-subject': { full: [RESEARCH.getSubject] },
};

function gateAdmits(spec: TransactionSpec, viewer: Viewer): boolean {
  const { roles, orgKinds } = spec.callers;
  return (!roles || (roles as readonly string[]).includes(viewer.role)) && (!orgKinds || (viewer.orgKind !== undefined && orgKinds.includes(viewer.orgKind)));
}

/** The change types the chaincode announces (`ctx.changes.add({ type: '…' })` in its sources). */
function emittedTypes(): Set<string> {
  const root = join(__dirname, '..', '..', '..', 'chaincode', 'src');
  const types = new Set<string>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = readFileSync(join(root, file), 'utf8');
    for (const match of source.matchAll(/changes\.add\(\{\s*type:\s*'([a-z-]+)'/g)) types.add(match[1]!);
  }
  return types;
}

describe('event entitlement table', () => {
  test('has a rule for every change type the chaincode emits, and a mirrored read for every rule', () => {
    const emitted = emittedTypes();
    expect(emitted.size).toBeGreaterThan(10);
    expect([...emitted].sort()).toEqual(Object.keys(RULES).sort());
    expect(Object.keys(MIRRORS).sort()).toEqual(Object.keys(RULES).sort());
    expect(new Set(samples(HERE).map((c) => c.type))).toEqual(emitted);
  });

  test.each(viewers())('$viewer.role of a $viewer.orgKind (party: $party) sees only what the mirrored read admits', ({ viewer }) => {
    for (const change of samples(HERE)) {
      const access = decide(change, viewer, NO_CONSENTS);
      const mirror = MIRRORS[change.type]!;
      if (access === 'full') expect([change.type, mirror.full.some((spec) => gateAdmits(spec, viewer))]).toEqual([change.type, true]);
      if (access === 'without-patient') expect([change.type, mirror.partial !== undefined && gateAdmits(mirror.partial, viewer)]).toEqual([change.type, true]);
      if (viewer.role === 'patient') expect([change.type, access]).toEqual([change.type, 'none']);
    }
  });

  test('patient references reach only auditors, record readers of providers, and staff of the organisation the change names', () => {
    for (const { viewer, party } of viewers()) {
      for (const change of samples(HERE)) {
        const view = viewOf(change, viewer, NO_CONSENTS);
        if (view === undefined || !('patientRef' in view)) continue;
        const recordReader = ['clinician', 'records-admin'].includes(viewer.role) && viewer.orgKind === 'provider';
        expect({ type: change.type, viewer, allowed: viewer.role === 'auditor' || (party && (change.type !== 'record' || recordReader)) }).toMatchObject({ allowed: true });
      }
    }
  });

  test('organisations not named by a change see none of the patient-facing or financial ones (auditors aside)', () => {
    const privateTypes = ['record', 'consent', 'delegate', 'emergency', 'disclosure', 'claim', 'shipment', 'trial-subject'];
    for (const { viewer, party } of viewers()) {
      if (party || viewer.role === 'auditor' || viewer.orgKind === 'regulator') continue;
      const seen = samples(HERE).filter((c) => privateTypes.includes(c.type) && decide(c, viewer, NO_CONSENTS) !== 'none');
      expect({ viewer, seen: seen.map((c) => c.type) }).toEqual({ viewer, seen: [] });
    }
  });

  test('a manufacturer sees the supply chain (and public trials), never records, consents, emergencies, disclosures, claims or coverage', () => {
    const manufacturer = { mspId: 'ManufacturerMSP', role: 'manufacturer' };
    const visible = samples('Hospital1MSP').filter((c) => accessTo(c, manufacturer, NO_CONSENTS) !== 'none').map((c) => c.type);
    expect([...new Set(visible)].sort()).toEqual(['coldchain', 'container', 'lot', 'pack', 'packs', 'product', 'trial']);
  });

  test("a payer's adjudicator sees its own claims and coverages only; a provider's billing its own claims", () => {
    const claim = (provider: string, payer: string): Change => ({ type: 'claim', id: 'clm-1', action: 'paid', status: 'paid', provider, payer });
    const adjudicator = { mspId: 'InsurerMSP', role: 'adjudicator' };
    expect(accessTo(claim('Hospital1MSP', 'InsurerMSP'), adjudicator, NO_CONSENTS)).toBe('full');
    expect(accessTo(claim('Hospital1MSP', 'OtherInsurerMSP'), adjudicator, NO_CONSENTS)).toBe('none');
    expect(accessTo({ type: 'coverage', id: 'cov-1', action: 'updated', payer: 'OtherInsurerMSP' }, adjudicator, NO_CONSENTS)).toBe('none');
    expect(accessTo(claim('Hospital1MSP', 'InsurerMSP'), { mspId: 'Hospital1MSP', role: 'billing' }, NO_CONSENTS)).toBe('full');
    expect(accessTo(claim('Hospital1MSP', 'InsurerMSP'), { mspId: 'Hospital2MSP', role: 'billing' }, NO_CONSENTS)).toBe('none');
    expect(accessTo(claim('Hospital1MSP', 'InsurerMSP'), { mspId: 'Hospital1MSP', role: 'clinician' }, NO_CONSENTS)).toBe('none');
  });

  test("a record change reaches the custodian's record readers, and another provider's only while the patient's consent names it", () => {
    const record: Change = { type: 'record', id: 'rec-1', action: 'amended', patientRef: 'pt-1', custodian: 'Hospital1MSP', version: 2 };
    const other = { mspId: 'Hospital2MSP', role: 'clinician' };
    const consent = (action: string): LoggedEvent => ({ seq: 1, blockNumber: '1', txId: 't', changes: [{ type: 'consent', id: 'con-1', action, patientRef: 'pt-1', grantee: 'Hospital2MSP' }] });
    const consents = new MemoryConsentIndex();
    expect(accessTo(record, { mspId: 'Hospital1MSP', role: 'records-admin' }, consents)).toBe('full');
    expect(accessTo(record, { mspId: 'Hospital1MSP', role: 'billing' }, consents)).toBe('none');
    expect(accessTo(record, other, consents)).toBe('none');
    consents.apply(consent('granted'));
    expect(accessTo(record, other, consents)).toBe('full');
    expect(accessTo({ ...record, patientRef: 'pt-2' }, other, consents)).toBe('none');
    expect(accessTo(record, { mspId: 'Hospital2MSP', role: 'billing' }, consents)).toBe('none');
    consents.apply(consent('revoked'));
    expect(accessTo(record, other, consents)).toBe('none');
    // A research consent opens a trial's releases, not the grantee's view of the patient's records.
    consents.apply({ seq: 2, blockNumber: '2', txId: 't2', changes: [{ type: 'consent', id: 'con-2', action: 'granted', patientRef: 'pt-1', grantee: 'Hospital2MSP', trialId: 'trial-1' }] });
    expect(accessTo(record, other, consents)).toBe('none');
  });

  test('the asking organisation sees its disclosure without the patient unless it reads records; the field is dropped, not blanked', () => {
    const disclosure: Change = { type: 'disclosure', id: 'dis-1', action: 'denied', recordId: 'rec-1', patientRef: 'pt-1', custodian: 'Hospital1MSP', org: 'InsurerMSP', emergency: false };
    const view = viewOf(disclosure, { mspId: 'InsurerMSP', role: 'adjudicator' }, NO_CONSENTS);
    expect(view).toEqual({ type: 'disclosure', id: 'dis-1', action: 'denied', recordId: 'rec-1', custodian: 'Hospital1MSP', org: 'InsurerMSP', emergency: false });
    for (const name of PATIENT_FIELDS) expect(Object.keys(view ?? {})).not.toContain(name);
    expect(viewOf(disclosure, { mspId: 'Hospital1MSP', role: 'records-admin' }, NO_CONSENTS)).toEqual(disclosure);
    expect(viewOf(disclosure, { mspId: 'Hospital1MSP', role: 'clinician' }, NO_CONSENTS)).toBeUndefined();
  });

  test('unknown or inherited type names are shown to nobody', () => {
    for (const type of ['', 'unknown', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(accessTo({ type, id: 'x', action: 'created' }, { mspId: 'Hospital1MSP', role: 'auditor' }, NO_CONSENTS)).toBe('none');
    }
  });

  test('an event keeps only the visible changes, and disappears when none remain', () => {
    const event: LoggedEvent = { seq: 7, blockNumber: '3', txId: 'tx', changes: samples('Hospital1MSP') };
    const access: Access[] = event.changes.map((c) => accessTo(c, { mspId: 'ManufacturerMSP', role: 'manufacturer' }, NO_CONSENTS));
    expect(eventFor(event, { mspId: 'ManufacturerMSP', role: 'manufacturer' }, NO_CONSENTS)?.changes).toHaveLength(access.filter((a) => a !== 'none').length);
    expect(eventFor({ ...event, changes: samples('Hospital1MSP').slice(0, 1) }, { mspId: 'ManufacturerMSP', role: 'manufacturer' }, NO_CONSENTS)).toBeUndefined();
    expect(eventFor(event, { mspId: 'Hospital1MSP', role: 'patient' }, NO_CONSENTS)).toBeUndefined();
  });
});
