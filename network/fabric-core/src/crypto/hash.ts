import { createHash } from 'node:crypto';

/** SHA-256 over the concatenation of `parts` (Fabric's hash for txids, data hashes and signatures). */
export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
