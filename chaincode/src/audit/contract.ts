import { periodBounds } from '../consent/access';
import { callerActsForPatient, requirePatientOrDelegate } from '../consent/store';
import { canonicalJson, epochMsFromIso, HealthContext, HealthContract, requireOrg, Tx } from '../shared';
import { AccountingRequest, DEFAULT_PAGE_SIZE, fail, GetDisclosureRequest, HistoryRequest, parseInput, AUDIT } from '@healthledger/contract-api';
import { DISCLOSURE_BY_PATIENT, disclosureKey, type Disclosure } from './disclosures';
import { assetKey, pageByCount, partiesOf, readHistory, type HistoryEntry } from './history';

/**
 * The audit surface: the history of any asset (from Fabric's key history, with the stamp of who
 * wrote each value) and the accounting of disclosures of a patient's records.
 */
export class AuditContract extends HealthContract {
  constructor() {
    super('audit');
  }

  /**
   * Evaluate. History of one asset, newest first: `{ items: [{ txId, time, isDelete, value,
   * actor }], bookmark }`, paged by count (see `CountBookmark`). Callers: auditors; staff
   * (non-patient roles) of an organisation that is party to the asset — one that wrote it or is
   * named by it (custodian, owner, payer, provider, grantee, …); the patient the asset names, or a
   * delegate. An asset without history is ASSET_NOT_FOUND.
   */
  @Tx(AUDIT.history)
  async history(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(HistoryRequest, request);
    const entries = await readHistory(ctx, assetKey(ctx, req));
    if (entries.length === 0) fail('ASSET_NOT_FOUND', `${req.assetType} ${req.id}`);
    await requireHistoryReader(ctx, entries, req.id);
    return canonicalJson(pageByCount(entries, req.pageSize ?? DEFAULT_PAGE_SIZE, req.bookmark));
  }

  /**
   * Evaluate. Accounting of disclosures (granted and denied) of a patient's records with
   * `recorded` in [from, to], oldest first: `{ items: Disclosure[], bookmark }`, paged by count.
   * Callers: the patient or a delegate, auditors (all entries), and records-admins (only entries
   * of records their organisation holds).
   */
  @Tx(AUDIT.accountingOfDisclosures)
  async accountingOfDisclosures(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(AccountingRequest, request);
    const window = periodBounds({ start: req.from, end: req.to }) ?? fail('VALIDATION_FAILED', 'request/to: not a valid window (impossible date, or to before from)');
    const { caller } = ctx;
    if (caller.role !== 'auditor' && caller.role !== 'records-admin') await requirePatientOrDelegate(ctx, req.patientRef);
    const onlyCustodian = caller.role === 'records-admin' ? caller.mspId : undefined;

    const all: Disclosure[] = [];
    for await (const entry of ctx.state.scan(DISCLOSURE_BY_PATIENT, req.patientRef)) {
      const [, recorded, disclosureId] = entry.attributes;
      const at = epochMsFromIso(recorded ?? '') ?? 0;
      // Index keys are in time order: nothing later can fall inside the window.
      if (at > window.endMs) break;
      if (at < window.startMs || disclosureId === undefined) continue;
      const disclosure = await ctx.state.get<Disclosure>(disclosureKey(ctx, disclosureId));
      if (disclosure && (onlyCustodian === undefined || disclosure.entity.custodian === onlyCustodian)) all.push(disclosure);
    }
    return canonicalJson(pageByCount(all, req.pageSize ?? DEFAULT_PAGE_SIZE, req.bookmark));
  }

  /**
   * Evaluate. One disclosure entry by id (disclosures are keyed by it), under the accounting's
   * rule: auditors; records-admins of the record's custodian; the patient it names or a delegate.
   * An unknown id is DISCLOSURE_NOT_FOUND.
   */
  @Tx(AUDIT.getDisclosure)
  async getDisclosure(ctx: HealthContext, request: string): Promise<string> {
    const { disclosureId } = parseInput(GetDisclosureRequest, request);
    const disclosure = (await ctx.state.get<Disclosure>(disclosureKey(ctx, disclosureId))) ?? fail('DISCLOSURE_NOT_FOUND', disclosureId);
    const { caller } = ctx;
    if (caller.role === 'records-admin') requireOrg(caller, disclosure.entity.custodian);
    else if (caller.role !== 'auditor') await requirePatientOrDelegate(ctx, disclosure.entity.patientRef);
    return canonicalJson(disclosure);
  }
}

async function requireHistoryReader(ctx: HealthContext, entries: readonly HistoryEntry[], id: string): Promise<void> {
  const { caller } = ctx;
  if (caller.role === 'auditor') return;
  const parties = partiesOf(entries);
  if (caller.role === 'patient') {
    for (const patientRef of parties.patients) if (await callerActsForPatient(ctx, patientRef)) return;
    fail('NOT_PATIENT_OR_DELEGATE', id);
  }
  if (!parties.orgs.has(caller.mspId)) fail('ORG_FORBIDDEN', `${caller.mspId} is not a party to ${id}`);
}
