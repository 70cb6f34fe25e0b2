import { common } from '@hyperledger/fabric-protos';
import { PolicyError } from './errors';
import type { PolicyResult } from './result';

/** ImplicitMeta rules as configtx.yaml spells them. */
export type ImplicitMetaRule = 'ANY' | 'ALL' | 'MAJORITY';

const RULE_VALUES: Record<ImplicitMetaRule, common.ImplicitMetaPolicy.RuleMap[keyof common.ImplicitMetaPolicy.RuleMap]> = {
  ANY: common.ImplicitMetaPolicy.Rule.ANY,
  ALL: common.ImplicitMetaPolicy.Rule.ALL,
  MAJORITY: common.ImplicitMetaPolicy.Rule.MAJORITY,
};

/** Parses `"<ANY|ALL|MAJORITY> <SubPolicy>"` (e.g. `MAJORITY Endorsement`) into an `ImplicitMetaPolicy`. */
export function parseImplicitMeta(text: string): common.ImplicitMetaPolicy {
  const m = /^\s*(ANY|ALL|MAJORITY)\s+(\S+)\s*$/.exec(text);
  if (!m) throw new PolicyError(`invalid implicit meta policy '${text}': expected '<ANY|ALL|MAJORITY> <SubPolicy>'`);
  const policy = new common.ImplicitMetaPolicy();
  policy.setRule(RULE_VALUES[m[1] as ImplicitMetaRule]);
  policy.setSubPolicy(m[2] ?? '');
  return policy;
}

/** How many of `count` sub-policies must hold (0 when there are none, as in Fabric). */
export function implicitMetaThreshold(rule: common.ImplicitMetaPolicy.RuleMap[keyof common.ImplicitMetaPolicy.RuleMap], count: number): number {
  if (count === 0) return 0;
  switch (rule) {
    case common.ImplicitMetaPolicy.Rule.ANY:
      return 1;
    case common.ImplicitMetaPolicy.Rule.ALL:
      return count;
    case common.ImplicitMetaPolicy.Rule.MAJORITY:
      return Math.floor(count / 2) + 1;
    default:
      throw new PolicyError(`unknown implicit meta rule ${String(rule)}`);
  }
}

/**
 * Evaluates an ImplicitMeta policy over its sub-policies (one per child group), stopping as soon
 * as the threshold is met, with Fabric's failure text.
 */
export function evaluateImplicitMeta(policy: common.ImplicitMetaPolicy, subPolicies: Array<() => boolean>): PolicyResult {
  const threshold = implicitMetaThreshold(policy.getRule(), subPolicies.length);
  let remaining = threshold;
  for (const sub of subPolicies) {
    if (remaining === 0) break;
    if (sub()) remaining--;
  }
  if (remaining === 0) return { ok: true };
  return {
    ok: false,
    message: `implicit policy evaluation failed - ${threshold - remaining} sub-policies were satisfied, but this policy requires ${threshold} of the '${policy.getSubPolicy()}' sub-policies to be satisfied`,
  };
}
