/**
 * Which organisations must endorse a transaction, planned as Fabric 2.5's gateway and discovery
 * plan it (`internal/pkg/gateway/endorse.go` `planFromFirstEndorser`, `discovery/endorsement`):
 * from the ChaincodeInterest the first endorser returned — the chaincode policy unless every
 * written public key has a key-level policy, those key-level policies, each written or privately
 * read collection's endorsement policy — and, when the proposal carries transient data, only
 * among organisations that are members of every collection named in the interest, so transient
 * data never reaches a peer that is not entitled to hold it.
 */
import { common, peer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { ChaincodeRegistry } from '../definitions';
import type { PeerRuntime } from '../peer';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';

/** What the endorsing set must satisfy. */
export interface EndorsementRequirements {
  /** Every policy must be satisfied by the chosen peers' endorsements. */
  policies: peer.ApplicationPolicy[];
  /**
   * Organisations allowed to endorse beyond the first: members of every collection that discovery
   * filters on (privately read, or any collection when transient data is protected); undefined
   * when no collection restricts the choice.
   */
  allowedOrgs: readonly string[] | undefined;
  /** Collections only written (not read) whose filtering is due to transient data alone. */
  protectedCollections: string[];
  /** Identifies the requirements, for memoizing plans. */
  key: string;
}

function signaturePolicy(envelope: common.SignaturePolicyEnvelope): peer.ApplicationPolicy {
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(envelope);
  return policy;
}

/** Distinct policies (by their bytes). */
class PolicySet {
  private readonly byBytes = new Map<string, peer.ApplicationPolicy>();

  add(policy: peer.ApplicationPolicy): void {
    this.byBytes.set(Buffer.from(policy.serializeBinary()).toString('base64'), policy);
  }

  get all(): peer.ApplicationPolicy[] {
    return [...this.byBytes.values()];
  }

  get keys(): string[] {
    return [...this.byBytes.keys()].sort();
  }
}

/** The interest Fabric's gateway assumes when a peer returned none (a function with no rwset). */
export function defaultInterest(chaincode: string): peer.ChaincodeInterest {
  const call = new peer.ChaincodeCall();
  call.setName(chaincode);
  const interest = new peer.ChaincodeInterest();
  interest.addChaincodes(call);
  return interest;
}

/**
 * The requirements of `interest`. `protectTransient` is Fabric's step 4: with transient data,
 * every collection in the interest filters the endorsers, not only the privately read ones.
 */
export function requirementsOf(
  chaincodes: Pick<ChaincodeRegistry, 'get' | 'collections'>,
  interest: peer.ChaincodeInterest,
  protectTransient: boolean,
): EndorsementRequirements {
  const policies = new PolicySet();
  let allowed: Set<string> | undefined;
  const filteredBy: string[] = [];
  const protectedCollections: string[] = [];
  for (const call of interest.getChaincodesList()) {
    const def = chaincodes.get(call.getName());
    if (!def) continue;
    const collectionNames = call.getCollectionNamesList();
    if (collectionNames.length === 0) {
      if (!call.getDisregardNamespacePolicy()) policies.add(def.endorsementPolicy);
      for (const envelope of call.getKeyPoliciesList()) policies.add(signaturePolicy(envelope));
      continue;
    }
    const collections = chaincodes.collections(call.getName());
    const filtered = protectTransient || !call.getNoPrivateReads();
    if (protectTransient && call.getNoPrivateReads()) protectedCollections.push(...collectionNames);
    for (const name of collectionNames) {
      const config = collections.get(name);
      if (!config) continue;
      // Discovery plans an implicit collection with SignedByMspMember (its metadata provider's view).
      if (config.implicit) policies.add(signaturePolicy(config.memberPolicy));
      else policies.add(config.endorsementPolicy ?? def.endorsementPolicy);
      if (!filtered) continue;
      filteredBy.push(name);
      allowed = new Set([...(allowed ?? config.memberOrgs)].filter((org) => config.memberOrgs.includes(org)));
    }
  }
  const allowedOrgs = allowed ? [...allowed] : undefined;
  return {
    policies: policies.all,
    allowedOrgs,
    protectedCollections,
    key: JSON.stringify([policies.keys, allowedOrgs?.sort() ?? null]),
  };
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

/** The policy evaluation plans are searched with: the channel's. */
type PlanningConfig = Pick<ChannelConfig, 'evaluateApplicationPolicy'>;

/** Plans already computed, per channel config (it never changes on the devnet). */
const plans = new WeakMap<PlanningConfig, Map<string, string[] | undefined>>();
const PLAN_CACHE_LIMIT = 1000;

/**
 * The smallest set of orgs (one peer each) whose endorsements satisfy every policy, chosen among
 * `requirements.allowedOrgs` (unless `unfiltered`); among sets of equal size, those containing
 * `preferredOrg` (the first endorser's) win. Undefined when no set of available orgs will do.
 */
export function planOrgs(
  config: PlanningConfig,
  requirements: EndorsementRequirements,
  peersByOrg: ReadonlyMap<string, readonly PeerRuntime[]>,
  preferredOrg: string | undefined,
  unfiltered = false,
): string[] | undefined {
  const representative = new Map<string, PeerRuntime>();
  for (const [org, peers] of peersByOrg) {
    if (!unfiltered && requirements.allowedOrgs && !requirements.allowedOrgs.includes(org)) continue;
    if (peers[0]) representative.set(org, peers[0]);
  }
  const cacheKey = JSON.stringify([requirements.key, preferredOrg, [...representative.keys()]]);
  let cache = plans.get(config);
  if (!cache) {
    cache = new Map();
    plans.set(config, cache);
  }
  if (cache.has(cacheKey)) return cache.get(cacheKey);
  const plan = searchPlan(config, requirements.policies, representative, preferredOrg);
  if (cache.size >= PLAN_CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, plan);
  return plan;
}

function searchPlan(
  config: PlanningConfig,
  policies: readonly peer.ApplicationPolicy[],
  representative: ReadonlyMap<string, PeerRuntime>,
  preferredOrg: string | undefined,
): string[] | undefined {
  const orgs = [...representative.keys()];
  const score = (set: string[]): number => (preferredOrg !== undefined && set.includes(preferredOrg) ? 1 : 0);
  for (let size = 1; size <= orgs.length; size++) {
    // Stable sort: sets with the first endorser's org first, channel order otherwise.
    const candidates = subsetsBySize(orgs, size).sort((a, b) => score(b) - score(a));
    for (const candidate of candidates) {
      const signed = candidate.map((org) => probeSignature((representative.get(org) as PeerRuntime).identity));
      if (policies.every((policy) => config.evaluateApplicationPolicy(policy, signed).ok)) return candidate;
    }
  }
  return undefined;
}
