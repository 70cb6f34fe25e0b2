import type { Stamp } from '../shared';
import { checkAccess, inPeriod, periodBounds, type AccessQuery, type Consent, type EmergencyAccess } from './access';
import type { Provision } from '@healthledger/contract-api';

const stamp: Stamp = { org: 'Hospital1MSP', role: 'patient', actor: 'a', txId: 't', at: '2026-01-01T00:00:00.000Z' };
const at = (iso: string) => Date.parse(iso);

function consent(over: Partial<Consent> = {}, provisions: Provision[] = [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }]): Consent {
  return {
    consentId: 'c1',
    patientRef: 'pt-1',
    status: 'active',
    grantee: { org: 'Hospital2MSP' },
    period: { start: '2026-03-01', end: '2026-03-31' },
    provisions,
    recorded: stamp.at,
    updatedBy: stamp,
    ...over,
  };
}

function query(over: Partial<AccessQuery> = {}): AccessQuery {
  return {
    requester: { mspId: 'Hospital2MSP', role: 'clinician', actor: 'doc2', practitionerId: 'prac-2' },
    subject: { patientRef: 'pt-1', custodian: 'Hospital1MSP', category: 'lab-result' },
    purpose: 'TREAT',
    action: 'access',
    atMs: at('2026-03-15T12:00:00Z'),
    consents: [consent()],
    isDelegate: false,
    ...over,
  };
}

const emergency: EmergencyAccess = {
  emergencyId: 'e1',
  patientRef: 'pt-1',
  org: 'Hospital2MSP',
  actor: 'doc2',
  reasonCode: 'unconscious',
  openedAt: '2026-03-15T11:00:00.000Z',
  expiresAt: '2026-03-15T13:00:00.000Z',
  reviewed: false,
  updatedBy: stamp,
};

describe('checkAccess', () => {
  it('grants on a matching permit and names the consent', () => {
    expect(checkAccess(query())).toEqual({ outcome: 'granted', basis: 'consent', consentId: 'c1' });
  });

  it('denies without any consent', () => {
    expect(checkAccess(query({ consents: [] }))).toEqual({ outcome: 'denied', reason: 'no-consent' });
  });

  it('says an ETREAT request without an emergency id misses it, unless a consent permits ETREAT', () => {
    expect(checkAccess(query({ consents: [], purpose: 'ETREAT' }))).toEqual({ outcome: 'denied', reason: 'emergency-id-missing' });
    const permitsEtreat = consent({}, [{ type: 'permit', actions: ['access'], purposes: ['ETREAT'] }]);
    expect(checkAccess(query({ consents: [permitsEtreat], purpose: 'ETREAT' })).outcome).toBe('granted');
  });

  it.each([
    ['the first millisecond of the start day', '2026-03-01T00:00:00.000Z', 'granted'],
    ['the last millisecond before the start', '2026-02-28T23:59:59.999Z', 'denied'],
    ['the last millisecond of a date-only end', '2026-03-31T23:59:59.999Z', 'granted'],
    ['the first millisecond after the end day', '2026-04-01T00:00:00.000Z', 'denied'],
  ])('period boundary: %s (%s) is %s', (_what, time, outcome) => {
    expect(checkAccess(query({ atMs: at(time) })).outcome).toBe(outcome);
  });

  it('treats a date-time end as an exact inclusive instant', () => {
    const c = consent({ period: { start: '2026-03-01T08:00:00Z', end: '2026-03-15T12:00:00Z' } });
    expect(checkAccess(query({ consents: [c], atMs: at('2026-03-15T12:00:00.000Z') })).outcome).toBe('granted');
    expect(checkAccess(query({ consents: [c], atMs: at('2026-03-15T12:00:00.001Z') })).outcome).toBe('denied');
  });

  it('ignores a revoked (inactive) consent', () => {
    expect(checkAccess(query({ consents: [consent({ status: 'inactive' })] })).outcome).toBe('denied');
  });

  it('ignores a consent of another patient', () => {
    expect(checkAccess(query({ consents: [consent({ patientRef: 'pt-9' })] })).outcome).toBe('denied');
  });

  it('lets a deny provision override a permit, even in another consent', () => {
    const deny = consent({ consentId: 'c2' }, [{ type: 'deny', actions: ['access'], purposes: ['TREAT'], categories: ['lab-result'] }]);
    expect(checkAccess(query({ consents: [consent(), deny] }))).toEqual({ outcome: 'denied', reason: 'consent-denied', consentId: 'c2' });
    const sameConsent = consent({}, [
      { type: 'permit', actions: ['access'], purposes: ['TREAT'] },
      { type: 'deny', actions: ['access'], purposes: ['TREAT'] },
    ]);
    expect(checkAccess(query({ consents: [sameConsent] })).outcome).toBe('denied');
  });

  it('does not apply a deny for another category or purpose', () => {
    const deny = consent({ consentId: 'c2' }, [{ type: 'deny', actions: ['access'], purposes: ['HRESCH'], categories: ['imaging'] }]);
    expect(checkAccess(query({ consents: [consent(), deny] })).outcome).toBe('granted');
  });

  it('denies the wrong purpose, category or action', () => {
    expect(checkAccess(query({ purpose: 'HPAYMT' })).outcome).toBe('denied');
    const imagingOnly = consent({}, [{ type: 'permit', actions: ['access'], purposes: ['TREAT'], categories: ['imaging'] }]);
    expect(checkAccess(query({ consents: [imagingOnly] })).outcome).toBe('denied');
    expect(checkAccess(query({ action: 'disclose' })).outcome).toBe('denied');
  });

  it('narrows a grantee to a practitioner or a role', () => {
    const toPrac = consent({ grantee: { org: 'Hospital2MSP', practitionerId: 'prac-2' } });
    expect(checkAccess(query({ consents: [toPrac] })).outcome).toBe('granted');
    expect(checkAccess(query({ consents: [toPrac], requester: { mspId: 'Hospital2MSP', role: 'clinician', actor: 'x', practitionerId: 'prac-3' } })).outcome).toBe('denied');
    const toBilling = consent({ grantee: { org: 'Hospital2MSP', role: 'billing' } });
    expect(checkAccess(query({ consents: [toBilling] })).outcome).toBe('denied');
    expect(checkAccess(query({ consents: [toBilling], requester: { mspId: 'Hospital2MSP', role: 'billing', actor: 'b' } })).outcome).toBe('granted');
    expect(checkAccess(query({ requester: { mspId: 'InsurerMSP', role: 'clinician', actor: 'i' } })).outcome).toBe('denied');
  });

  it('never lets an organisation-wide consent open records to the patients enrolled there', () => {
    const otherPatient = { mspId: 'Hospital2MSP', role: 'patient' as const, actor: 'p2', patientId: 'pt-2' };
    expect(checkAccess(query({ requester: otherPatient }))).toEqual({ outcome: 'denied', reason: 'no-consent' });
    const toPatients = consent({ grantee: { org: 'Hospital2MSP', role: 'patient' } });
    expect(checkAccess(query({ requester: otherPatient, consents: [toPatients] })).outcome).toBe('denied');
  });

  it('grants the custodian staff TREAT and HOPERAT without consent, but not HPAYMT', () => {
    const own = { mspId: 'Hospital1MSP', role: 'clinician' as const, actor: 'doc1' };
    expect(checkAccess(query({ requester: own, consents: [] }))).toEqual({ outcome: 'granted', basis: 'custodian' });
    expect(checkAccess(query({ requester: { ...own, role: 'records-admin' }, purpose: 'HOPERAT', consents: [] })).outcome).toBe('granted');
    expect(checkAccess(query({ requester: own, purpose: 'HPAYMT', consents: [] })).outcome).toBe('denied');
    expect(checkAccess(query({ requester: { ...own, role: 'billing' }, consents: [] })).outcome).toBe('denied');
  });

  it('lets a deny override the custodian default too', () => {
    const deny = consent({ grantee: { org: 'Hospital1MSP' } }, [{ type: 'deny', actions: ['access'], purposes: ['TREAT'] }]);
    expect(checkAccess(query({ requester: { mspId: 'Hospital1MSP', role: 'clinician', actor: 'doc1' }, consents: [deny] })).outcome).toBe('denied');
  });

  it('grants the patient and a delegate', () => {
    expect(checkAccess(query({ requester: { mspId: 'Hospital2MSP', role: 'patient', actor: 'p', patientId: 'pt-1' }, consents: [] })).basis).toBe('patient');
    expect(checkAccess(query({ requester: { mspId: 'Hospital1MSP', role: 'patient', actor: 'g', patientId: 'pt-g' }, isDelegate: true, consents: [] })).basis).toBe('delegate');
    expect(checkAccess(query({ requester: { mspId: 'Hospital1MSP', role: 'patient', actor: 'g', patientId: 'pt-g' }, consents: [] })).outcome).toBe('denied');
  });

  describe('break-the-glass', () => {
    const deny = consent({}, [{ type: 'deny', actions: ['access'], purposes: ['ETREAT', 'TREAT'] }]);

    it('grants its own clinician for ETREAT, overriding a deny, until it expires (exclusive)', () => {
      expect(checkAccess(query({ emergency, purpose: 'ETREAT', consents: [deny] }))).toEqual({ outcome: 'granted', basis: 'emergency', emergencyId: 'e1' });
      expect(checkAccess(query({ emergency, purpose: 'ETREAT', atMs: at('2026-03-15T12:59:59.999Z') })).outcome).toBe('granted');
      expect(checkAccess(query({ emergency, purpose: 'ETREAT', atMs: at('2026-03-15T13:00:00.000Z') }))).toEqual({ outcome: 'denied', reason: 'emergency-expired', emergencyId: 'e1' });
    });

    it('refuses another clinician, another patient or another purpose', () => {
      expect(checkAccess(query({ emergency, purpose: 'ETREAT', requester: { mspId: 'Hospital2MSP', role: 'clinician', actor: 'doc3' } })).reason).toBe('emergency-mismatch');
      expect(checkAccess(query({ emergency: { ...emergency, patientRef: 'pt-9' }, purpose: 'ETREAT' })).reason).toBe('emergency-mismatch');
      expect(checkAccess(query({ emergency, purpose: 'TREAT' })).reason).toBe('emergency-mismatch');
    });
  });
});

describe('periods', () => {
  it('rejects an end before the start and impossible dates', () => {
    expect(periodBounds({ start: '2026-03-02', end: '2026-03-01' })).toBeUndefined();
    expect(periodBounds({ start: '2026-02-30' })).toBeUndefined();
    expect(periodBounds({ start: '2026-03-01', end: '2026-03-01' })).toEqual({ startMs: at('2026-03-01T00:00:00Z'), endMs: at('2026-03-01T23:59:59.999Z') });
  });

  it('is open-ended without an end', () => {
    expect(inPeriod({ start: '2026-01-01' }, at('2099-01-01T00:00:00Z'))).toBe(true);
  });
});
