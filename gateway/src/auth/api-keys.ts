/**
 * API keys for system integrations (an EHR, a pharmacy system). Only SHA-256 hashes of the keys
 * are stored, in a JSON file: `[{ "keyHash": "<hex>", "user": "billing1", "mspId": "Hospital1MSP",
 * "label": "EHR" }]`. Keys are 32 random bytes, base64url, prefixed `hlk_` so leaks are greppable.
 * The file is read once, when the gateway starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config';
import type { TokenSubject } from './tokens';

interface StoredKey {
  keyHash: string;
  user: string;
  mspId: string;
  label: string;
}

/** The API keys of one file (`HEALTHLEDGER_API_KEYS`); a missing file is no keys. */
export class ApiKeys {
  private readonly keys = new Map<string, StoredKey>();

  /** @throws ConfigError when the file is not a JSON array of stored keys: it is written by hand. */
  constructor(private readonly path: string) {
    if (existsSync(path)) {
      for (const k of parseKeys(path, readFileSync(path, 'utf8'))) this.keys.set(k.keyHash, k);
    }
  }

  /** How many keys there are. */
  get size(): number {
    return this.keys.size;
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

function parseKeys(path: string, text: string): StoredKey[] {
  const invalid = (why: string) =>
    new ConfigError('HEALTHLEDGER_API_KEYS', `${path} ${why}; expected a JSON array of { "keyHash": "<sha-256 hex>", "user", "mspId", "label" }`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw invalid('is not a JSON array');
  return parsed.map((entry: unknown, i) => {
    const k = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<Record<keyof StoredKey, unknown>>;
    if (typeof k.keyHash !== 'string' || !/^[0-9a-f]{64}$/.test(k.keyHash)) throw invalid(`entry ${i}: keyHash is not a lowercase SHA-256 hex digest`);
    if (typeof k.user !== 'string' || k.user === '' || typeof k.mspId !== 'string' || k.mspId === '') throw invalid(`entry ${i}: user and mspId are required`);
    return { keyHash: k.keyHash, user: k.user, mspId: k.mspId, label: typeof k.label === 'string' ? k.label : '' };
  });
}

function hashKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
