/**
 * GS1 CBV 2.0 vocabulary as EPCIS 2.0 JSON spells it: the standard business steps, dispositions
 * and business transaction types (the enumerations of GS1's EPCIS 2.0 JSON schema), and the
 * forms a term may arrive in.
 */

/** A compact IRI (`prefix:name`) or an absolute URI: a namespaced key, or a user-vocabulary value. */
export const NAMESPACED = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export const CBV_BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning', 'creating_class_instance', 'cycle_counting', 'decommissioning',
  'departing', 'destroying', 'disassembling', 'dispensing', 'encoding', 'entering_exiting', 'holding', 'inspecting', 'installing', 'killing', 'loading',
  'other', 'packing', 'picking', 'receiving', 'removing', 'repackaging', 'repairing', 'replacing', 'reserving', 'retail_selling', 'shipping',
  'staging_outbound', 'stock_taking', 'stocking', 'storing', 'transporting', 'unloading', 'unpacking', 'void_shipping', 'sensor_reporting', 'sampling',
] as const;

export const CBV_DISPOSITIONS = [
  'active', 'container_closed', 'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded', 'expired', 'in_progress', 'in_transit', 'inactive',
  'no_pedigree_match', 'non_sellable_other', 'partially_dispensed', 'recalled', 'reserved', 'retail_sold', 'returned', 'sellable_accessible',
  'sellable_not_accessible', 'stolen', 'unknown', 'available', 'completeness_verified', 'completeness_inferred', 'conformant', 'container_open',
  'mismatch_instance', 'mismatch_class', 'mismatch_quantity', 'needs_replacement', 'non_conformant', 'unavailable',
] as const;

export const CBV_BIZ_TRANSACTION_TYPES = ['bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt'] as const;

/**
 * The bare CBV term of a bizStep, disposition, bizTransaction or source/destination type given in
 * bare, URN (`urn:epcglobal:cbv:bizstep:shipping`) or Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`)
 * form; anything else (a user vocabulary URI) is returned as it is.
 */
export function cbvTerm(value: string): string {
  const urn = /^urn:epcglobal:cbv:[a-z]+:(.+)$/.exec(value);
  if (urn?.[1]) return urn[1];
  const web = /^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-(.+)$/.exec(value);
  if (web?.[1]) return web[1];
  return value;
}

/**
 * `value` as EPCIS 2.0 JSON records it: a term of `terms` (in any of its forms) as the bare term,
 * a user-vocabulary URI as it is; undefined for anything else (a bare word CBV does not define,
 * or a CBV-namespace URI naming no CBV term).
 */
export function cbvValue(value: string, terms: readonly string[]): string | undefined {
  const term = cbvTerm(value);
  if (terms.includes(term)) return term;
  if (/^(urn:epcglobal:cbv:|https?:\/\/(ns|ref)\.gs1\.org\/cbv\/)/.test(value)) return undefined;
  return NAMESPACED.test(value) ? value : undefined;
}
