/**
 * The collections of every chaincode on the channel (explicit + implicit, from pvtdata), decoded
 * once per definition: membership decides who keeps private data, and a collection's own
 * endorsement policy replaces the chaincode's for its keys.
 */
import { collectionConfigs, type CollectionRuntime } from '../pvtdata';
import type { ChaincodeDefinitionRuntime } from '../runtime';

const cache = new WeakMap<ChaincodeDefinitionRuntime, Map<string, CollectionRuntime>>();

/** The collection `coll` of chaincode `def`, or undefined when it does not exist. */
export function findCollection(def: ChaincodeDefinitionRuntime | undefined, orgs: readonly string[], coll: string): CollectionRuntime | undefined {
  if (!def) return undefined;
  let collections = cache.get(def);
  if (!collections) {
    collections = collectionConfigs(def, orgs);
    cache.set(def, collections);
  }
  return collections.get(coll);
}
