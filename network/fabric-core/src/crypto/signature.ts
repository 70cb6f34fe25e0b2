import { sign, verify, type KeyObject } from 'node:crypto';
import { decodeEcdsaSignature, encodeEcdsaSignature, fromBytes } from './der';
import { SignatureError } from './errors';

/** Curve orders of the curves Fabric's default BCCSP accepts, by OpenSSL curve name. */
const CURVE_ORDERS: ReadonlyMap<string, bigint> = new Map([
  ['prime256v1', 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n],
  ['secp384r1', 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n],
]);

function curveOrder(key: KeyObject): bigint {
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  const order = curve === undefined ? undefined : CURVE_ORDERS.get(curve);
  if (order === undefined) {
    // BCCSP's text for a key it has no verifier/signer for (Ed25519, RSA, other curves).
    const kind = [key.asymmetricKeyType ?? 'unknown', curve].filter(Boolean).join(' ');
    throw new SignatureError(`Unsupported 'Key' provided [${kind}]`);
  }
  return order;
}

/**
 * Signs SHA-256(message) with ECDSA and returns the DER signature with `s <= n/2`, as every
 * Fabric signer does (Fabric verifiers reject high-S signatures).
 */
export function signLowS(privateKey: KeyObject, message: Uint8Array): Buffer {
  const order = curveOrder(privateKey);
  return lowSDer(sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }), order);
}

/**
 * {@link signLowS} with the hashing and signing in libuv's thread pool: the same signature, but a
 * busy event loop (the gateway's, which signs three times per submit) spends ~10 µs on it instead
 * of ~55, the rest running beside it on another core.
 */
export function signLowSAsync(privateKey: KeyObject, message: Uint8Array): Promise<Buffer> {
  // A key of another kind throws in the executor: the promise rejects with it.
  return new Promise((resolve, reject) => {
    const order = curveOrder(privateKey);
    sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }, (err, raw) => (err ? reject(err) : resolve(lowSDer(raw, order))));
  });
}

/** DER of an IEEE P1363 signature (r ‖ s), `s` moved to the lower half of the curve order. */
function lowSDer(raw: Buffer, order: bigint): Buffer {
  const half = raw.length / 2;
  const r = fromBytes(raw.subarray(0, half));
  let s = fromBytes(raw.subarray(half));
  if (s > order >> 1n) s = order - s;
  return encodeEcdsaSignature(r, s);
}

/**
 * Verifies a DER ECDSA signature over SHA-256(message) with Fabric's BCCSP rules: the DER must
 * parse, r and s must be positive, s must be in the lower half of the curve order. Throws
 * {@link SignatureError} with BCCSP's text otherwise.
 */
export function verifySignature(publicKey: KeyObject, message: Uint8Array, der: Uint8Array): void {
  const order = curveOrder(publicKey);
  const sig = decodeEcdsaSignature(der);
  if (sig === undefined) {
    throw new SignatureError('Failed unmashalling signature [failed unmashalling signature [asn1: structure error]]');
  }
  if (sig.r <= 0n) throw new SignatureError('Failed unmashalling signature [invalid signature, R must be larger than zero]');
  if (sig.s <= 0n) throw new SignatureError('Failed unmashalling signature [invalid signature, S must be larger than zero]');
  const halfOrder = order >> 1n;
  if (sig.s > halfOrder) {
    throw new SignatureError(`Invalid S. Must be smaller than half the order [${sig.s}][${halfOrder}].`);
  }
  if (!verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)) {
    throw new SignatureError('The signature is invalid');
  }
}

/**
 * The low-S form of a DER ECDSA signature made with `key`'s curve (unchanged when already low,
 * undefined when not a DER ECDSA signature). Fabric normalises certificate signatures this way.
 */
export function toLowS(key: KeyObject, der: Uint8Array): Buffer | undefined {
  const order = curveOrder(key);
  const sig = decodeEcdsaSignature(der);
  if (sig === undefined) return undefined;
  return sig.s > order >> 1n ? encodeEcdsaSignature(sig.r, order - sig.s) : Buffer.from(der);
}

/** Re-encodes an ECDSA signature with `s` replaced by `n - s` (tests use it to forge high-S). */
export function flipS(publicKey: KeyObject, der: Uint8Array): Buffer {
  const order = curveOrder(publicKey);
  const sig = decodeEcdsaSignature(der);
  if (sig === undefined) throw new SignatureError('not a DER ECDSA signature');
  return encodeEcdsaSignature(sig.r, order - sig.s);
}
