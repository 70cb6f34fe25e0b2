/**
 * Claim ⇄ FHIR R4 Claim. The ledger's public claim header becomes a professional claim (`use`
 * claim, normal priority) whose insurer is the payer, provider the submitting organisation and
 * insurance the named coverage; lines keep their billing codes (CPT, HCPCS, NDC). The ledger's
 * claim status (pended, approved, …), which FHIR's Claim.status (active) does not carry, is the
 * `claim-status` extension. Creating a claim from FHIR takes the diagnoses and procedures too: they
 * travel as the private `detail` (transient data), never onto the channel.
 */
import { randomBytes } from 'node:crypto';
import type { ClaimDetail, ClaimStatus, CodeSystem, PackId, SubmitClaimRequest } from '@healthledger/contract-api';
import { LOCAL, SYSTEM } from './codes';
import { codeExt, ext, extObject, extString } from './extensions';
import { money, minorUnits } from './money';
import { codeIn, concept, idOf, invalid, logicalId, mspIdOf, organizationReference, patientRefOf, patientReference, resourceReference, ledgerIdOf, requireCode } from './references';
import { stampExt, stampOf, type Stamp } from './stamp';
import type { CodeableConcept, Money, Period, Quantity, Reference, Resource } from './types';

/** A stored claim line (chaincode `StoredItem`). */
export interface LedgerClaimItem {
  sequence: number;
  system: CodeSystem;
  code: string;
  modifiers?: string[];
  quantity: number;
  unitPrice: number;
  net: number;
  sgtin?: PackId;
}

/** The public claim header as the ledger stores and returns it (chaincode `ClaimHeader`). */
export interface LedgerClaim {
  claimId: string;
  patientRef: string;
  provider: string;
  payer: string;
  coverageId: string;
  serviceDate: string;
  currency: string;
  items: LedgerClaimItem[];
  total: number;
  detailHash: string;
  status: ClaimStatus;
  possibleDuplicateOf?: string;
  submittedAt: string;
  updatedBy: Stamp;
}

interface FhirClaimItem {
  sequence: number;
  productOrService: CodeableConcept;
  modifier?: CodeableConcept[];
  servicedDate?: string;
  quantity: Quantity;
  unitPrice: Money;
  net?: Money;
  procedureSequence?: number[];
  extension?: { url: string; extension?: { url: string; valueString?: string }[] }[];
}

/** A FHIR Claim as this interface emits and accepts it. */
export interface FhirClaim extends Resource {
  resourceType: 'Claim';
  status: string;
  type: CodeableConcept;
  use: 'claim';
  patient: Reference;
  billablePeriod?: Period;
  created: string;
  insurer?: Reference;
  provider: Reference;
  priority: CodeableConcept;
  insurance: { sequence: number; focal: boolean; coverage: Reference }[];
  item?: FhirClaimItem[];
  total?: Money;
  diagnosis?: { sequence: number; diagnosisCodeableConcept?: CodeableConcept }[];
  procedure?: { sequence: number; procedureCodeableConcept?: CodeableConcept }[];
}

const SYSTEM_OF: Record<CodeSystem, string> = { CPT: SYSTEM.cpt, HCPCS: SYSTEM.hcpcs, NDC: SYSTEM.ndc };
const PROFESSIONAL = concept(SYSTEM.claimType, 'professional');
const NORMAL = concept(SYSTEM.processPriority, 'normal');

/** The billing code system and code of a line's productOrService. */
export function billingCodeOf(value: CodeableConcept, where: string): { system: CodeSystem; code: string } {
  for (const [system, url] of Object.entries(SYSTEM_OF) as [CodeSystem, string][]) {
    const code = codeIn(value, url);
    if (code !== undefined) return { system, code };
  }
  throw invalid(`${where}: a CPT, HCPCS or NDC code is required`);
}

function itemOf(c: LedgerClaim, i: LedgerClaimItem): FhirClaimItem {
  const url = SYSTEM_OF[i.system];
  return {
    sequence: i.sequence,
    productOrService: concept(url, i.code),
    ...(i.modifiers ? { modifier: i.modifiers.map((m) => concept(url, m)) } : {}),
    servicedDate: c.serviceDate,
    quantity: { value: i.quantity },
    unitPrice: money(i.unitPrice, c.currency),
    net: money(i.net, c.currency),
    ...(i.sgtin ? { extension: ext('sgtin', { ...i.sgtin }) } : {}),
  };
}

/** The ledger's claim header as a FHIR Claim. */
export function claimToFhir(c: LedgerClaim): FhirClaim {
  return {
    resourceType: 'Claim',
    ...logicalId(c.claimId),
    meta: { lastUpdated: c.updatedBy.at },
    extension: [...codeExt('claim-status', c.status), ...ext('detail-hash', c.detailHash), ...ext('possible-duplicate-of', c.possibleDuplicateOf), ...stampExt(c.updatedBy)],
    identifier: [{ system: LOCAL.ledgerId, value: c.claimId }],
    status: 'active',
    type: PROFESSIONAL,
    use: 'claim',
    patient: patientReference(c.patientRef),
    billablePeriod: { start: c.serviceDate, end: c.serviceDate },
    created: c.submittedAt,
    insurer: organizationReference(c.payer),
    provider: organizationReference(c.provider),
    priority: NORMAL,
    insurance: [{ sequence: 1, focal: true, coverage: resourceReference('Coverage', c.coverageId) }],
    item: c.items.map((i) => itemOf(c, i)),
    total: money(c.total, c.currency),
  };
}

function ledgerItemOf(item: FhirClaimItem, currency: string, index: number): LedgerClaimItem & { netGiven: boolean } {
  const where = `Claim.item[${index}]`;
  const { system, code } = billingCodeOf(item.productOrService, `${where}.productOrService`);
  const quantity = item.quantity?.value;
  if (quantity === undefined) throw invalid(`${where}.quantity is required`);
  const sgtin = extObject(item, 'sgtin');
  return {
    sequence: item.sequence,
    system,
    code,
    ...(item.modifier ? { modifiers: item.modifier.map((m, j) => requireCode(m, SYSTEM_OF[system], `${where}.modifier[${j}]`)) } : {}),
    quantity,
    unitPrice: minorUnits(item.unitPrice, currency, `${where}.unitPrice`),
    net: item.net ? minorUnits(item.net, currency, `${where}.net`) : 0,
    netGiven: item.net !== undefined,
    ...(sgtin ? { sgtin: sgtin as unknown as PackId } : {}),
  };
}

function commonOf(r: FhirClaim): Omit<SubmitClaimRequest, 'claimId' | 'items'> & { items: (LedgerClaimItem & { netGiven: boolean })[] } {
  if (r.resourceType !== 'Claim') throw invalid('resourceType: Claim is required');
  const currency = r.total?.currency ?? r.item?.[0]?.unitPrice?.currency;
  if (currency === undefined) throw invalid('Claim.total.currency is required');
  const focal = r.insurance?.find((i) => i.focal) ?? r.insurance?.[0];
  const serviceDate = r.billablePeriod?.start ?? r.item?.[0]?.servicedDate;
  if (serviceDate === undefined) throw invalid('Claim.billablePeriod.start or Claim.item.servicedDate is required');
  const items = (r.item ?? []).map((item, i) => ledgerItemOf(item, currency, i));
  return {
    patientRef: patientRefOf(r.patient, 'Claim.patient'),
    payer: mspIdOf(r.insurer, 'Claim.insurer'),
    coverageId: idOf(focal?.coverage, 'Coverage', 'Claim.insurance.coverage'),
    serviceDate: serviceDate.slice(0, 10),
    currency,
    items,
    total: minorUnits(r.total, currency, 'Claim.total'),
  };
}

function detailOf(r: FhirClaim): ClaimDetail {
  const diagnoses = (r.diagnosis ?? []).map((d, i) => ({
    sequence: d.sequence,
    code: requireCode(d.diagnosisCodeableConcept, SYSTEM.icd10cm, `Claim.diagnosis[${i}]`),
  }));
  const procedures = (r.procedure ?? []).map((p, i) => {
    const pcs = codeIn(p.procedureCodeableConcept, SYSTEM.icd10pcs);
    const cpt = codeIn(p.procedureCodeableConcept, SYSTEM.cpt);
    const code = pcs ?? cpt;
    if (code === undefined) throw invalid(`Claim.procedure[${i}]: an ICD-10-PCS or CPT code is required`);
    const itemSequences = (r.item ?? []).filter((item) => item.procedureSequence?.includes(p.sequence)).map((item) => item.sequence);
    return { sequence: p.sequence, system: pcs !== undefined ? ('ICD-10-PCS' as const) : ('CPT' as const), code, ...(itemSequences.length > 0 ? { itemSequences } : {}) };
  });
  // The nonce salts the hash the channel keeps of the detail; a FHIR client does not send one.
  return { nonce: randomBytes(16).toString('base64url'), diagnoses, ...(procedures.length > 0 ? { procedures } : {}) };
}

/** `claims:submit`'s request and its private `detail` from a FHIR Claim. */
export function claimFromFhir(r: FhirClaim, newId: () => string): { request: SubmitClaimRequest; detail: ClaimDetail } {
  const { items, ...common } = commonOf(r);
  const identifier = ledgerIdOf(r);
  const request: SubmitClaimRequest = {
    claimId: r.id ?? identifier ?? newId(),
    ...common,
    items: items.map(({ sequence: _sequence, netGiven, net, ...line }) => ({ ...line, ...(netGiven ? { net } : {}) })),
  };
  return { request, detail: detailOf(r) };
}

/** The ledger's claim header back from a FHIR Claim this interface emitted (the round trip). */
export function claimFromEmitted(r: FhirClaim): LedgerClaim {
  const { items, ...common } = commonOf(r);
  const claimId = ledgerIdOf(r);
  const status = extString(r, 'claim-status');
  const detailHash = extString(r, 'detail-hash');
  const duplicate = extString(r, 'possible-duplicate-of');
  if (claimId === undefined || status === undefined || detailHash === undefined) throw invalid('Claim: ledger identifier, claim-status and detail-hash are required');
  return {
    claimId,
    ...common,
    provider: mspIdOf(r.provider, 'Claim.provider'),
    items: items.map(({ netGiven: _netGiven, ...line }) => line),
    detailHash,
    status: status as ClaimStatus,
    ...(duplicate === undefined ? {} : { possibleDuplicateOf: duplicate }),
    submittedAt: r.created,
    updatedBy: stampOf(r),
  };
}
