import type { Iterators } from 'fabric-shim-api';
import { isoFromEpochMs, type HealthContext, type Stamp } from '../shared';
import { fail, type HistoryRequest } from '@healthledger/contract-api';

/** One modification of a key, as `audit:history` returns it (newest first, as Fabric gives them). */
export interface HistoryEntry {
  txId: string;
  time: string;
  isDelete: boolean;
  /** The value written; null for a delete. */
  value: unknown;
  /** Who wrote it: the value's `updatedBy` stamp (Fabric's history does not say); null if none. */
  actor: Stamp | null;
}

/** The state key of an asset (the key conventions every contract follows). */
export function assetKey(ctx: HealthContext, req: Pick<HistoryRequest, 'assetType' | 'id' | 'serial'>): string {
  if (req.assetType === 'pack') {
    if (req.serial === undefined) fail('VALIDATION_FAILED', 'request/serial: required for a pack');
    return ctx.state.key('pack', req.id, req.serial);
  }
  if (req.serial !== undefined) fail('VALIDATION_FAILED', `request/serial: only a pack has a serial`);
  return ctx.state.key(req.assetType, req.id);
}

/** Every modification of `key`, newest first. */
export async function readHistory(ctx: HealthContext, key: string): Promise<HistoryEntry[]> {
  const iterator = await ctx.stub.getHistoryForKey(key);
  const entries: HistoryEntry[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) entries.push(historyEntryOf(r.value));
  } finally {
    await iterator.close();
  }
  return entries;
}

/** One Fabric key modification as a {@link HistoryEntry}. */
export function historyEntryOf(mod: Iterators.KeyModification): HistoryEntry {
  const seconds = Number(mod.timestamp.seconds.toString());
  const time = isoFromEpochMs(seconds * 1000 + Math.floor(mod.timestamp.nanos / 1_000_000));
  const value = mod.isDelete || mod.value.length === 0 ? null : parseValue(mod.value);
  const stamp = value !== null && typeof value === 'object' ? (value as { updatedBy?: Stamp }).updatedBy : undefined;
  return { txId: mod.txId, time, isDelete: mod.isDelete, value, actor: stamp ?? null };
}

function parseValue(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    // Not JSON (not an asset written by this chaincode): show the bytes rather than fail.
    return { base64: Buffer.from(bytes).toString('base64') };
  }
}

/** Fields through which an asset value names the organisations that are party to it. */
const PARTY_FIELDS = ['custodian', 'owner', 'payer', 'provider', 'insurer', 'org', 'manufacturer', 'distributor', 'sponsor'] as const;

/**
 * The parties of an asset, read from its history: every organisation that wrote it
 * (`updatedBy.org`), every organisation named in a party field ({@link PARTY_FIELDS}, or
 * `grantee.org`), and the patients named by `patientRef`.
 */
export function partiesOf(entries: readonly HistoryEntry[]): { orgs: Set<string>; patients: Set<string> } {
  const orgs = new Set<string>();
  const patients = new Set<string>();
  for (const entry of entries) {
    if (entry.actor) orgs.add(entry.actor.org);
    const value = entry.value;
    if (value === null || typeof value !== 'object') continue;
    const fields = value as Record<string, unknown>;
    for (const field of PARTY_FIELDS) if (typeof fields[field] === 'string') orgs.add(fields[field]);
    const grantee = fields.grantee as { org?: unknown } | undefined;
    if (typeof grantee?.org === 'string') orgs.add(grantee.org);
    if (typeof fields.patientRef === 'string') patients.add(fields.patientRef);
  }
  return { orgs, patients };
}

/** Applies a count bookmark: `{ items, bookmark }` with bookmark '' at the end. */
export function pageByCount<T>(all: readonly T[], pageSize: number, bookmark = ''): { items: T[]; bookmark: string } {
  const skip = bookmark === '' ? 0 : Number(bookmark);
  const items = all.slice(skip, skip + pageSize);
  const next = skip + items.length;
  return { items, bookmark: next < all.length ? String(next) : '' };
}
