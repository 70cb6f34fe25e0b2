import { parseDigitalLink, parseSgtinUrn, parseSsccUrn, isValidSscc18 } from '@healthledger/contract-api';

export { cbvTerm } from '@healthledger/contract-api';

/**
 * CBV vocabulary and identifier forms at the EPCIS edge: CBV terms in bare, URN
 * (`urn:epcglobal:cbv:bizstep:shipping`) or Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`)
 * form; organisations and shipments as URNs of this ledger.
 */

const ORG_PREFIX = 'urn:healthledger:org:';
const SHIPMENT_PREFIX = 'urn:healthledger:shipment:';

/** An organisation (trading party) as a URI: `urn:healthledger:org:<MSP id>`. */
export function orgUri(mspId: string): string {
  return ORG_PREFIX + mspId;
}

/** The MSP id of an organisation URI, or undefined. */
export function mspOfUri(uri: string): string | undefined {
  return uri.startsWith(ORG_PREFIX) ? uri.slice(ORG_PREFIX.length) : undefined;
}

/** A shipment as a business transaction (CBV type `desadv`, despatch advice). */
export function shipmentUri(shipmentId: string): string {
  return SHIPMENT_PREFIX + shipmentId;
}

export function shipmentOfUri(uri: string): string | undefined {
  return uri.startsWith(SHIPMENT_PREFIX) ? uri.slice(SHIPMENT_PREFIX.length) : undefined;
}

/** An EPC from an event: a pack (SGTIN) or a container (SSCC), or undefined if neither. */
export type ParsedEpc = { kind: 'pack'; gtin: string; serial: string } | { kind: 'container'; sscc: string; companyPrefixLength?: number };

/** Parses an SGTIN/SSCC URN or a GS1 Digital Link URI. */
export function parseEpc(epc: string, referenceYear: number): ParsedEpc | undefined {
  const sgtin = parseSgtinUrn(epc);
  if (sgtin) return { kind: 'pack', gtin: sgtin.gtin, serial: sgtin.serial };
  const sscc = parseSsccUrn(epc);
  if (sscc) return { kind: 'container', ...sscc };
  const link = epc.startsWith('http') ? parseDigitalLink(epc, referenceYear) : undefined;
  if (link?.gtin && link.serial) return { kind: 'pack', gtin: link.gtin, serial: link.serial };
  if (link?.sscc && isValidSscc18(link.sscc)) return { kind: 'container', sscc: link.sscc };
  return undefined;
}
