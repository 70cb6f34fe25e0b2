/**
 * API keys for system integrations (an EHR, a pharmacy system). Only SHA-256 hashes of the keys
 * are stored, in a JSON file: `[{ "keyHash": "<hex>", "user": "billing1", "mspId": "Hospital1MSP",
 * "label": "EHR" }]`. Keys are 32 random bytes, base64url, prefixed `hlk_` so leaks are greppable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TokenSubject } from './tokens';

interface StoredKey {
  keyHash: string;
  user: string;
  mspId: string;
  label: string;
}

export class ApiKeys {
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly path: string) {
    if (existsSync(path)) {
      for (const k of JSON.parse(readFileSync(path, 'utf8')) as StoredKey[]) this.keys.set(k.keyHash, k);
    }
  }

  /** The identity an API key stands for, or undefined for an unknown key. */
  lookup(apiKey: string): TokenSubject | undefined {
    const stored = this.keys.get(hashKey(apiKey));
    return stored && { name: stored.user, mspId: stored.mspId };
  }

  /** Creates a key for a Fabric identity; the plain key is returned once and never stored. */
  create(subject: TokenSubject, label: string): string {
    const apiKey = `hlk_${randomBytes(32).toString('base64url')}`;
    this.keys.set(hashKey(apiKey), { keyHash: hashKey(apiKey), user: subject.name, mspId: subject.mspId, label });
    this.save();
    return apiKey;
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.keys.values()], null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

function hashKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
