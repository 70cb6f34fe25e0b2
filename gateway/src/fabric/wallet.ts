/**
 * The org's wallet: the Fabric identities the gateway may act as. Each authenticated principal
 * maps to one entry (MSP id + user name); the gateway signs as that identity, so the chaincode
 * sees the real user and role. An entry without a private key can only use the offline-signing
 * flow (patient-held keys).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Fabric identity. */
export interface FabricUser {
  readonly name: string;
  readonly mspId: string;
  /** The `role` attribute of the certificate (Fabric CA attribute extension). */
  readonly role: string;
  readonly certPem: string;
  /** Absent when the key is held by the user (offline signing only). */
  readonly privateKey: KeyObject | undefined;
}

/** An identity that cannot be loaded. */
export class WalletError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WalletError';
  }
}

/** Identities by MSP id and user name. */
export class Wallet {
  private readonly users = new Map<string, FabricUser>();

  constructor(users: Iterable<FabricUser>) {
    for (const user of users) this.users.set(key(user.mspId, user.name), user);
  }

  get(mspId: string, name: string): FabricUser | undefined {
    return this.users.get(key(mspId, name));
  }

  /** Adds or replaces an identity (the identity routes enroll, re-enroll and revoke at run time). */
  put(user: FabricUser): void {
    this.users.set(key(user.mspId, user.name), user);
  }

  /** Removes an identity; the caller is then refused. */
  remove(mspId: string, name: string): void {
    this.users.delete(key(mspId, name));
  }

  list(): FabricUser[] {
    return [...this.users.values()];
  }

  /** MSP ids that have at least one identity here. */
  orgs(): string[] {
    return [...new Set(this.list().map((u) => u.mspId))];
  }
}

function key(mspId: string, name: string): string {
  return `${mspId}\u0000${name}`;
}

/** Fabric CA attribute extension (OID 1.2.3.4.5.6.7.8.1): raw UTF-8 JSON `{"attrs":{…}}`. */
export function certificateAttributes(certPem: string): Record<string, string> {
  const der = new X509Certificate(certPem).raw;
  const start = der.indexOf('{"attrs":');
  if (start < 0) return {};
  // The extension value is the JSON document itself; find its end by brace depth (values are strings).
  let depth = 0;
  let inString = false;
  for (let i = start; i < der.length; i++) {
    const c = der[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) {
      const parsed = JSON.parse(der.subarray(start, i + 1).toString('utf8')) as { attrs?: Record<string, string> };
      return parsed.attrs ?? {};
    }
  }
  return {};
}

/** Builds a user from PEM texts; the role comes from the certificate unless given. */
export function userFromPem(mspId: string, name: string, certPem: string, keyPem: string | undefined, role?: string): FabricUser {
  const attrs = certificateAttributes(certPem);
  return {
    name,
    mspId,
    role: role ?? attrs['role'] ?? '',
    certPem,
    privateKey: keyPem === undefined ? undefined : createPrivateKey(keyPem),
  };
}

/**
 * Loads a wallet directory: one folder per user, either `<name>/` or the Fabric test-network form
 * `<name>@<domain>/`, holding `msp/signcerts/*.pem` and optionally `msp/keystore/*`.
 */
export function walletFromDirectory(dir: string, mspId: string): Wallet {
  if (!existsSync(dir)) throw new WalletError(`identity directory not found: ${dir}`);
  const users: FabricUser[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const msp = join(dir, entry.name, 'msp');
    const cert = firstFile(join(msp, 'signcerts'));
    if (cert === undefined) continue;
    const keyFile = firstFile(join(msp, 'keystore'));
    const name = entry.name.split('@')[0] ?? entry.name;
    users.push(userFromPem(mspId, name, readFileSync(cert, 'utf8'), keyFile && readFileSync(keyFile, 'utf8')));
  }
  return new Wallet(users);
}

function firstFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).sort()[0];
  return name === undefined ? undefined : join(dir, name);
}
