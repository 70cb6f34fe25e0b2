/**
 * Which organisations must endorse a transaction (spec §5.3 step 2): the policies that commit-time
 * validation will apply to the first endorsement's rwset (key-level, collection and chaincode
 * policies), and the smallest set of orgs whose peers satisfy all of them.
 */
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { collectionConfigs } from '../pvtdata';
import type { NetworkRuntime, PeerRuntime } from '../runtime';
import { LIFECYCLE_NAMESPACE } from '../sim';
import type { SigningIdentity } from '../pki';

/** Metadata key of a key-level (state-based) endorsement policy. */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

function signaturePolicy(bytes: Uint8Array): peer.ApplicationPolicy {
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(common.SignaturePolicyEnvelope.deserializeBinary(bytes));
  return policy;
}

/** What the endorsing set must satisfy. */
export interface EndorsementRequirements {
  /** Every policy must be satisfied by the chosen peers' endorsements. */
  policies: peer.ApplicationPolicy[];
  /**
   * Member orgs of each collection read privately: only members hold the data, so sets made of
   * members are preferred (as Fabric's discovery does). A preference, not a rule: the rwset cannot
   * tell a private read from a `getPrivateDataHash`, which needs no membership.
   */
  readerOrgs: Array<readonly string[]>;
}

/** Collects distinct policies (by their bytes). */
class PolicySet {
  private readonly byBytes = new Map<string, peer.ApplicationPolicy>();
  readonly readerOrgs: Array<readonly string[]> = [];

  add(policy: peer.ApplicationPolicy): void {
    this.byBytes.set(Buffer.from(policy.serializeBinary()).toString('base64'), policy);
  }

  get all(): peer.ApplicationPolicy[] {
    return [...this.byBytes.values()];
  }

  /** Identifies the requirements, for memoizing plans. */
  get key(): string {
    return JSON.stringify([[...this.byBytes.keys()].sort(), this.readerOrgs.map((orgs) => [...orgs].sort())]);
  }
}

/** The rwset inside a proposal response payload. */
export function rwsetOf(prpBytes: Uint8Array): ledger.rwset.TxReadWriteSet {
  const prp = peer.ProposalResponsePayload.deserializeBinary(prpBytes);
  const action = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  return ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8());
}

function namespacePolicies(net: NetworkRuntime, ns: ledger.rwset.NsReadWriteSet, policies: PolicySet): void {
  const name = ns.getNamespace();
  const def = net.chaincodes.get(name);
  if (!def) return;
  const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
  let written = false;
  let needChaincodePolicy = false;
  const writtenKeys = new Set([...kv.getWritesList().map((w) => w.getKey()), ...kv.getMetadataWritesList().map((w) => w.getKey())]);
  for (const key of writtenKeys) {
    written = true;
    const sbe = net.ledger.state.get(name, key)?.metadata.get(VALIDATION_PARAMETER);
    if (sbe) policies.add(signaturePolicy(sbe));
    else needChaincodePolicy = true;
  }
  const collections = collectionConfigs(def, net.config.orgs);
  for (const coll of ns.getCollectionHashedRwsetList()) {
    const collName = coll.getCollectionName();
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8());
    const config = collections.get(collName);
    const fallback = config?.endorsementPolicy;
    const keyHashes = [...hashed.getHashedWritesList(), ...hashed.getMetadataWritesList()].map((w) => w.getKeyHash_asU8());
    const collectionPolicy = (): void => {
      if (fallback) policies.add(fallback);
      else needChaincodePolicy = true;
    };
    for (const keyHash of keyHashes) {
      written = true;
      const sbe = net.ledger.state.getHashed(name, collName, keyHash)?.metadata.get(VALIDATION_PARAMETER);
      if (sbe) policies.add(signaturePolicy(sbe));
      else collectionPolicy();
    }
    if (hashed.getHashedReadsList().length > 0) {
      if (keyHashes.length === 0) collectionPolicy();
      if (config) policies.readerOrgs.push(config.memberOrgs);
    }
  }
  if (!written || needChaincodePolicy) policies.add(def.endorsementPolicy);
}

/**
 * The policies a transaction must satisfy, computed from the first endorsement (`prpBytes`) and
 * the current state (spec §5.3 step 2, mirroring §9.2). The invoked chaincode's policy applies
 * when its namespace was only read or not touched at all.
 */
export function requiredPolicies(net: NetworkRuntime, invoked: string, prpBytes: Uint8Array): EndorsementRequirements & { key: string } {
  const policies = new PolicySet();
  const namespaces = rwsetOf(prpBytes).getNsRwsetList().filter((ns) => ns.getNamespace() !== LIFECYCLE_NAMESPACE);
  for (const ns of namespaces) namespacePolicies(net, ns, policies);
  const def = net.chaincodes.get(invoked);
  if (def && !namespaces.some((ns) => ns.getNamespace() === invoked)) policies.add(def.endorsementPolicy);
  return { policies: policies.all, readerOrgs: policies.readerOrgs, key: policies.key };
}

/** Data signed once per simulated peer identity, so candidate org sets can be tested against real policies. */
const probes = new WeakMap<SigningIdentity, { identity: Uint8Array; data: Uint8Array; signature: Uint8Array }>();

function probeSignature(identity: SigningIdentity) {
  let probe = probes.get(identity);
  if (!probe) {
    const data = Buffer.from('devnet endorsement plan probe');
    probe = { identity: identity.serialized, data, signature: identity.sign(data) };
    probes.set(identity, probe);
  }
  return probe;
}

function subsetsBySize<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  const result: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of subsetsBySize(items.slice(i + 1), size - 1)) result.push([item, ...rest]);
  });
  return result;
}

/** Plans already computed, per network (the channel config never changes on the devnet). */
const plans = new WeakMap<NetworkRuntime, Map<string, string[] | undefined>>();
const PLAN_CACHE_LIMIT = 1000;

/**
 * The smallest set of orgs (one peer each) whose endorsements satisfy every policy; among sets
 * of equal size, those made of members of every privately read collection win, then those
 * containing `preferredOrg` (the first endorser's). Undefined when no set of available orgs will do.
 */
export function planOrgs(
  net: NetworkRuntime,
  requirements: EndorsementRequirements & { key?: string },
  peersByOrg: ReadonlyMap<string, readonly PeerRuntime[]>,
  preferredOrg: string | undefined,
): string[] | undefined {
  const representative = new Map<string, PeerRuntime>();
  for (const [org, peers] of peersByOrg) if (peers[0]) representative.set(org, peers[0]);
  const cacheKey = requirements.key === undefined ? undefined : JSON.stringify([requirements.key, preferredOrg, [...representative.keys()]]);
  let cache = plans.get(net);
  if (!cache) {
    cache = new Map();
    plans.set(net, cache);
  }
  if (cacheKey !== undefined && cache.has(cacheKey)) return cache.get(cacheKey);
  const plan = searchPlan(net, requirements, representative, preferredOrg);
  if (cacheKey !== undefined) {
    if (cache.size >= PLAN_CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, plan);
  }
  return plan;
}

function searchPlan(
  net: NetworkRuntime,
  requirements: EndorsementRequirements,
  representative: ReadonlyMap<string, PeerRuntime>,
  preferredOrg: string | undefined,
): string[] | undefined {
  const orgs = [...representative.keys()];
  const members = (set: string[]): boolean => set.every((org) => requirements.readerOrgs.every((readers) => readers.includes(org)));
  const score = (set: string[]): number => (members(set) ? 2 : 0) + (preferredOrg !== undefined && set.includes(preferredOrg) ? 1 : 0);
  for (let size = 1; size <= orgs.length; size++) {
    // Stable sort: best score first, channel order otherwise.
    const candidates = subsetsBySize(orgs, size).sort((a, b) => score(b) - score(a));
    for (const candidate of candidates) {
      const signed = candidate.map((org) => probeSignature((representative.get(org) as PeerRuntime).identity));
      if (requirements.policies.every((policy) => net.config.evaluateApplicationPolicy(policy, signed).ok)) return candidate;
    }
  }
  return undefined;
}
