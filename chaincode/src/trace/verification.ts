import { dateOf, requireOrgKind, type HealthContext } from '../shared';
import { fail, type Gs1Data, parseDigitalLink, parseElementString, parseSgtinUrn, type VerifyRequest } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import { dispositionOf, type PackStatus } from './model';
import { readPack } from './packs';
import { readRecall } from './recall-record';

/** The answer to "is this pack genuine, and where is it?". */
export interface Verification {
  gtin: string;
  serial: string;
  /** The SGTIN was commissioned by its manufacturer and not confirmed illegitimate. */
  authentic: boolean;
  /** Authentic but the scanned lot or expiry disagrees with the ledger, or confirmed illegitimate. */
  suspect: boolean;
  mismatches: ('lot' | 'expiry')[];
  status?: PackStatus;
  disposition?: string;
  owner?: string;
  manufacturer?: string;
  recalled: boolean;
  quarantined: boolean;
  expired: boolean;
  /** May be dispensed now (EU FMD verification outcome). */
  dispensable: boolean;
}

/**
 * Verifies a pack from GTIN + serial (+ lot + expiry as scanned) or a raw barcode (element
 * string, Digital Link or SGTIN URN). Evaluate; caller: any identity of a consortium
 * organisation. An unknown serial answers `authentic: false`; it is not an error.
 */
export async function verify(ctx: HealthContext, request: VerifyRequest): Promise<Verification> {
  if (!ctx.caller.orgKind) requireOrgKind(ctx.caller, 'provider', 'payer', 'manufacturer', 'distributor', 'regulator');
  const scanned = 'barcode' in request ? scannedData(request.barcode, Number(dateOf(ctx.now.epochMs).slice(0, 4))) : request;
  const { gtin, serial } = scanned;
  if (!gtin || !serial) fail('VALIDATION_FAILED', 'request/barcode: carries no GTIN and serial');
  requireGtin(gtin, 'request/gtin');
  const pack = await readPack(ctx, gtin, serial);
  const base = { gtin, serial, recalled: false, quarantined: false, expired: false, dispensable: false };
  if (!pack) return { ...base, authentic: false, suspect: true, mismatches: [] };
  const today = dateOf(ctx.now.epochMs);
  const mismatches: ('lot' | 'expiry')[] = [];
  if (scanned.lot !== undefined && scanned.lot !== pack.lot) mismatches.push('lot');
  if (scanned.expiry !== undefined && scanned.expiry !== pack.expiry) mismatches.push('expiry');
  const recalled = pack.recalled === true || (await readRecall(ctx, gtin, pack.lot)) !== undefined;
  const expired = pack.expiry < today;
  const authentic = pack.status !== 'illegitimate';
  return {
    ...base,
    authentic,
    suspect: !authentic || mismatches.length > 0,
    mismatches,
    status: pack.status,
    disposition: dispositionOf({ ...pack, recalled }, today),
    owner: pack.owner,
    manufacturer: pack.manufacturer,
    recalled,
    quarantined: pack.quarantine !== undefined,
    expired,
    dispensable: authentic && mismatches.length === 0 && pack.status === 'active' && !recalled && !expired && !pack.quarantine && !pack.nonSellable,
  };
}

function scannedData(barcode: string, referenceYear: number): Gs1Data {
  const data = barcode.startsWith('urn:') ? parseSgtinUrn(barcode) : barcode.startsWith('http') ? parseDigitalLink(barcode, referenceYear) : parseElementString(barcode, referenceYear);
  return data ?? fail('VALIDATION_FAILED', 'request/barcode: not a GS1 element string, Digital Link or SGTIN URN');
}
