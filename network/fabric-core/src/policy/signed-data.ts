import { MspError, type Identity, type MspManager } from '../msp';

/** One signature to evaluate: who (SerializedIdentity bytes), over what, and the DER signature. */
export interface SignedData {
  identity: Uint8Array;
  data: Uint8Array;
  signature: Uint8Array;
}

/**
 * Fabric's `SignatureSetToValidIdentities`: deserialize each signer (skip unknown), skip a signer
 * already accepted (same identity key; checked before the signature so repeats cost nothing),
 * verify the signature (skip invalid). Identities are not validated here; principals do that.
 */
export function validIdentities(signed: SignedData[], msps: MspManager): Identity[] {
  const seen = new Set<string>();
  const identities: Identity[] = [];
  for (const sd of signed) {
    let identity: Identity;
    try {
      identity = msps.deserialize(sd.identity);
    } catch (err) {
      if (err instanceof MspError) continue;
      throw err;
    }
    if (seen.has(identity.uniqueKey)) continue;
    try {
      identity.verify(sd.data, sd.signature);
    } catch (err) {
      if (err instanceof MspError) continue;
      throw err;
    }
    seen.add(identity.uniqueKey);
    identities.push(identity);
  }
  return identities;
}
