import { createHash } from 'node:crypto';
import { fail, SALT_BYTES } from '@healthledger/contract-api';
import type { HealthContext } from './context';

/**
 * Salted private values. A private value's hash is public: Fabric writes it into the block's
 * hashed read-write set, and our index entries repeat it (`contentHash`, `justificationHash`). A
 * hash of the bare text would let anyone with the blocks confirm a guess ("is the justification
 * 'unconscious'?"), so the stored value is `salt ‖ text` with a fresh random salt from transient
 * `salt`. The chaincode cannot draw randomness itself (every endorser must compute the same
 * result), so the submitter supplies it; the gateway draws it per write.
 */

/** Reads transient `salt` (hex of {@link SALT_BYTES} bytes). */
export function transientSalt(ctx: HealthContext): Buffer {
  const bytes = ctx.transient('salt') ?? fail('TRANSIENT_MISSING', 'salt');
  const hex = Buffer.from(bytes).toString('utf8');
  if (!new RegExp(`^[0-9a-f]{${SALT_BYTES * 2}}$`).test(hex)) fail('TRANSIENT_INVALID', 'salt');
  return Buffer.from(hex, 'hex');
}

/** The stored private value: `salt ‖ text`. */
export function saltedValue(salt: Uint8Array, text: Uint8Array): Buffer {
  return Buffer.concat([salt, text]);
}

/** The text of a stored value written by {@link saltedValue}. */
export function unsalted(value: Uint8Array): Uint8Array {
  return value.subarray(SALT_BYTES);
}

/** SHA-256 hex of bytes: for a stored value, the same digest Fabric keeps as its private data hash. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
