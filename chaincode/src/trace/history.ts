import { canonicalJson, fromBytes, requireOrgKind, type HealthContext } from '../shared';
import { fail, type PackQuery } from '@healthledger/contract-api';
import { readContainer } from './containers';
import { epcisDocument, epcisEventOf, type EpcisJson, type PackVersion } from './epcis';
import { requireGtin } from './identifiers';
import type { Pack } from './model';
import { packKey } from './packs';
import { requireProduct } from './products';

/**
 * A pack's life as an EPCIS 2.0 document, oldest event first, read from Fabric's history of the
 * pack key (each version stores the compact event that produced it). Versions that changed no
 * event (e.g. billing) are skipped. Evaluate; caller: any identity of a consortium organisation.
 */
export async function packHistory(ctx: HealthContext, request: PackQuery): Promise<EpcisJson> {
  if (!ctx.caller.orgKind) requireOrgKind(ctx.caller, 'provider', 'payer', 'manufacturer', 'distributor', 'regulator');
  requireGtin(request.gtin, 'request/gtin');
  const versions = await packVersions(ctx, request.gtin, request.serial);
  if (versions.length === 0) fail('PACK_NOT_FOUND', `${request.gtin}/${request.serial}`);
  const product = await requireProduct(ctx, request.gtin);
  const prefixes = new Map<string, number | undefined>();
  for (const v of versions) {
    const parent = v.pack.event.parent;
    if (parent && !prefixes.has(parent)) prefixes.set(parent, (await readContainer(ctx, parent))?.companyPrefixLength);
  }
  const events: EpcisJson[] = [];
  let previous = '';
  for (const version of versions) {
    const event = canonicalJson(version.pack.event);
    if (event === previous) continue;
    previous = event;
    events.push(epcisEventOf(version, product, (sscc) => prefixes.get(sscc)));
  }
  return epcisDocument(events, ctx.now.iso);
}

/** Every stored version of a pack, oldest first (Fabric returns newest first). */
async function packVersions(ctx: HealthContext, gtin: string, serial: string): Promise<PackVersion[]> {
  const iterator = await ctx.stub.getHistoryForKey(packKey(ctx, gtin, serial));
  const versions: PackVersion[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (r.value.isDelete || r.value.value.length === 0) continue;
      versions.push({ txId: r.value.txId, pack: fromBytes<Pack>(r.value.value) });
    }
  } finally {
    await iterator.close();
  }
  return versions.reverse();
}
