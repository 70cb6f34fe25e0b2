/**
 * Fabric CA certificate attributes: an X.509 extension (OID 1.2.3.4.5.6.7.8.1, non-critical) whose
 * OCTET STRING content is raw UTF-8 JSON `{"attrs":{...}}` with no inner ASN.1 wrapper. This is
 * what fabric-shim's `ClientIdentity.getAttributeValue` reads.
 */
export const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

/** The attributes Fabric CA always puts into an enrollment certificate. */
export type FabricCaType = 'client' | 'peer' | 'admin' | 'orderer';

/**
 * The attribute set Fabric CA writes for an enrollment: `hf.EnrollmentID`, `hf.Type`,
 * `hf.Affiliation`, then the custom attributes (values are strings).
 */
export function enrollmentAttributes(enrollmentId: string, type: FabricCaType, custom: Record<string, string> = {}): Record<string, string> {
  return { 'hf.EnrollmentID': enrollmentId, 'hf.Type': type, 'hf.Affiliation': '', ...custom };
}

/** The extension value bytes for `attrs`. */
export function encodeAttributes(attrs: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify({ attrs }), 'utf8');
}

/** Parses an extension value written by {@link encodeAttributes} (or by Fabric CA). */
export function decodeAttributes(value: Uint8Array): Record<string, string> {
  const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as { attrs?: Record<string, string> };
  return parsed.attrs ?? {};
}
