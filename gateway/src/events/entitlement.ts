/**
 * Who sees which ledger change on the event stream (SSE and webhooks alike), and with which
 * fields. One rule per change type, mirroring the read rules of the corresponding GET routes
 * (the chaincode's checks; `CallerSpec.rule` in the transaction catalogue), and never looser:
 * where a GET needs the caller to name a patient first, the stream, which names them unasked,
 * is narrower. The table, and why each row is what it is: docs/design/events.md.
 *
 * Everything a rule needs travels in the change itself (organisations are MSP ids, not PHI) or
 * in the {@link ConsentIndex} built from earlier changes, so no rule reads the ledger and none
 * can leak while a cache is cold. Unknown change types are shown to nobody.
 */
import { ORGANIZATION_KINDS, type OrgKind } from '@healthledger/contract-api';
import type { Change, LoggedEvent } from './log';
import { ConsentIndex } from './consent-index';

/** The identity a stream or webhook delivers to: the caller, or the webhook's registrant. */
export interface Subscriber {
  readonly mspId: string;
  readonly role: string;
}

/** What a subscriber may see of one change. */
export type Access = 'full' | 'without-patient' | 'none';

/** Fields of a change that name a patient; dropped (not blanked) when not entitled. */
export const PATIENT_FIELDS: readonly string[] = ['patientRef'];

/** A subscriber with its organisation's kind (from the consortium's organisation table). */
export interface Viewer extends Subscriber {
  readonly orgKind: OrgKind | undefined;
}

type Rule = (change: Change, who: Viewer, consents: ConsentIndex) => Access;

const TRADING_ROLES: readonly string[] = ['manufacturer', 'distributor', 'dispenser'];
const RECORD_AUTHORS: readonly string[] = ['clinician', 'records-admin'];

const isAuditor = (who: Viewer) => who.role === 'auditor';
const isRecordReader = (who: Viewer) => RECORD_AUTHORS.includes(who.role) && who.orgKind === 'provider';
const field = (change: Change, name: string): string | undefined => (typeof change[name] === 'string' ? (change[name]) : undefined);
const inOrg = (who: Viewer, change: Change, name: string) => field(change, name) === who.mspId;
const when = (condition: boolean, access: Access = 'full'): Access => (condition ? access : 'none');

/** Supply-chain changes: what any member may read (packs, lots, products), shown to the trade. */
const traceRule: Rule = (change, who) =>
  when(
    TRADING_ROLES.includes(who.role) ||
      isAuditor(who) ||
      who.orgKind === 'regulator' ||
      ['org', 'holder', 'manufacturer', 'from', 'to'].some((name) => inOrg(who, change, name)),
  );

/** The entitlement table, keyed by change type (chaincode `ctx.changes.add({ type })`). */
export const RULES: Readonly<Record<string, Rule>> = {
  // records:getRecord/listRecords: auditors; clinicians and records-admins of providers. The stream
  // narrows that to the custodian and providers the patient has consented to.
  record: (change, who, consents) =>
    when(
      isAuditor(who) ||
        (isRecordReader(who) && (inOrg(who, change, 'custodian') || consents.covers(field(change, 'patientRef'), who.mspId))),
    ),
  // consent:getConsent: auditors; staff of the grantee organisation.
  consent: (change, who) => when(isAuditor(who) || inOrg(who, change, 'grantee')),
  // consent:listDelegates: the patient or a delegate; auditors.
  delegate: (_change, who) => when(isAuditor(who)),
  // emergency:getEmergency: auditors; staff of the clinician's organisation.
  emergency: (change, who) => when(isAuditor(who) || inOrg(who, change, 'org')),
  // audit:accountingOfDisclosures: auditors; records-admins of the custodian. The organisation that
  // asked learns its own outcome (it had it in the answer), with the patient only if it reads records.
  disclosure: (change, who) => {
    if (isAuditor(who) || (who.role === 'records-admin' && inOrg(who, change, 'custodian'))) return 'full';
    return when(inOrg(who, change, 'org'), isRecordReader(who) ? 'full' : 'without-patient');
  },
  // claims:get: billing of the provider, adjudicator of the payer, auditors of either party.
  claim: (change, who) =>
    when(
      (who.role === 'billing' && inOrg(who, change, 'provider')) ||
        (who.role === 'adjudicator' && inOrg(who, change, 'payer')) ||
        (isAuditor(who) && (inOrg(who, change, 'provider') || inOrg(who, change, 'payer'))),
    ),
  // coverage:get: adjudicator of its payer, billing of a provider organisation, auditors.
  coverage: (change, who) =>
    when((who.role === 'adjudicator' && inOrg(who, change, 'payer')) || (who.role === 'billing' && who.orgKind === 'provider') || isAuditor(who)),
  // trace:getShipment: the sender or the consignee organisation; regulators.
  shipment: (change, who) => when(inOrg(who, change, 'from') || inOrg(who, change, 'to') || who.orgKind === 'regulator'),
  // research:getTrial: any identity (a trial is public metadata and hashes).
  trial: () => 'full',
  // research:getSubject: auditors; staff of the enrolling site or of the sponsor.
  'trial-subject': (change, who) => when(isAuditor(who) || inOrg(who, change, 'site') || inOrg(who, change, 'sponsor')),
  product: traceRule,
  lot: traceRule,
  pack: traceRule,
  packs: traceRule,
  container: traceRule,
  coldchain: traceRule,
};

/** What `viewer` may see of `change` (patients see nothing: the stream spans every patient). */
export function decide(change: Change, viewer: Viewer, consents: ConsentIndex): Access {
  if (viewer.role === 'patient') return 'none';
  const rule = Object.hasOwn(RULES, change.type) ? RULES[change.type] : undefined;
  return rule ? rule(change, viewer, consents) : 'none';
}

/** {@link decide} for a subscriber of the consortium (its organisation kind looked up). */
export function accessTo(change: Change, subscriber: Subscriber, consents: ConsentIndex): Access {
  const orgKind = Object.hasOwn(ORGANIZATION_KINDS, subscriber.mspId) ? ORGANIZATION_KINDS[subscriber.mspId] : undefined;
  return decide(change, { mspId: subscriber.mspId, role: subscriber.role, orgKind }, consents);
}

/** `change` as `subscriber` may see it, or undefined when not at all. */
export function viewOf(change: Change, subscriber: Subscriber, consents: ConsentIndex): Change | undefined {
  const access = accessTo(change, subscriber, consents);
  if (access === 'none') return undefined;
  if (access === 'full') return change;
  return Object.fromEntries(Object.entries(change).filter(([name]) => !PATIENT_FIELDS.includes(name))) as Change;
}

/** The event with only the changes `subscriber` may see, or undefined when none remain. */
export function eventFor(event: LoggedEvent, subscriber: Subscriber, consents: ConsentIndex): LoggedEvent | undefined {
  const changes = event.changes.map((c) => viewOf(c, subscriber, consents)).filter((c): c is Change => c !== undefined);
  return changes.length === 0 ? undefined : { ...event, changes };
}

export { ConsentIndex };
