/**
 * The FHIR R4 datatypes this interface reads and writes, narrowed to the elements it uses. The
 * tests validate every emitted resource against the official R4 JSON schema, so these types only
 * have to keep the mapping modules honest, not describe FHIR in full.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  system?: string;
  value?: string;
}

/** A reference by URL (`Patient/pt-…`) or, for parties the ledger knows only by id, by identifier. */
export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Money {
  value?: number;
  currency?: string;
}

export interface Quantity {
  value?: number;
  unit?: string;
}

/** An extension: a leaf with one `value[x]`, or a complex one with nested extensions. */
export interface Extension {
  url: string;
  extension?: Extension[];
  valueString?: string;
  valueCode?: string;
  valueInteger?: number;
  valueDecimal?: number;
  valueBoolean?: boolean;
  valueDateTime?: string;
  valueReference?: Reference;
}

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
}

/** What every resource has. */
export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  extension?: Extension[];
  [element: string]: unknown;
}

/** An OperationOutcome issue (the error shape of every FHIR route). */
export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  details?: CodeableConcept;
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export interface BundleLink {
  relation: string;
  url: string;
}

export interface BundleEntry {
  fullUrl?: string;
  resource: Resource;
  search?: { mode: 'match' | 'include' | 'outcome' };
}

export interface Bundle extends Resource {
  resourceType: 'Bundle';
  type: 'searchset';
  link: BundleLink[];
  entry?: BundleEntry[];
}
