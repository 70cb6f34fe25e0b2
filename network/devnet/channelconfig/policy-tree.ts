import { common } from '@hyperledger/fabric-protos';
import type { Identity } from '@healthledger/fabric-core/msp';
import { evaluateImplicitMeta, SignaturePolicy, type PolicyResult } from '@healthledger/fabric-core/policy';

type PolicyNode =
  | { kind: 'signature'; policy: SignaturePolicy }
  | { kind: 'implicit'; meta: common.ImplicitMetaPolicy; group: string }
  | { kind: 'broken'; message: string };

function compile(path: string, policy: common.Policy | undefined): PolicyNode {
  try {
    switch (policy?.getType()) {
      case common.Policy.PolicyType.SIGNATURE:
        return { kind: 'signature', policy: SignaturePolicy.fromBytes(policy.getValue_asU8()) };
      case common.Policy.PolicyType.IMPLICIT_META:
        return { kind: 'implicit', meta: common.ImplicitMetaPolicy.deserializeBinary(policy.getValue_asU8()), group: path.slice(0, path.lastIndexOf('/')) };
      default:
        return { kind: 'broken', message: `unknown policy type: ${String(policy?.getType())}` };
    }
  } catch (err) {
    if (err instanceof Error) return { kind: 'broken', message: err.message };
    throw err;
  }
}

/**
 * The policies of a channel config, by absolute path (`/Channel/Application/Writers`), evaluated
 * as Fabric's policy manager does: signature policies with cauthdsl, ImplicitMeta over the same
 * policy name in every child group (a child without it counts as unsatisfied).
 */
export class PolicyTree {
  private readonly nodes = new Map<string, PolicyNode>();
  private readonly childGroups = new Map<string, string[]>();

  constructor(root: common.ConfigGroup, rootName = 'Channel') {
    this.add(`/${rootName}`, root);
  }

  private add(path: string, group: common.ConfigGroup): void {
    group.getPoliciesMap().forEach((config, name) => this.nodes.set(`${path}/${name}`, compile(`${path}/${name}`, config.getPolicy())));
    const children: string[] = [];
    group.getGroupsMap().forEach((child, name) => {
      children.push(`${path}/${name}`);
      this.add(`${path}/${name}`, child);
    });
    this.childGroups.set(path, children);
  }

  has(path: string): boolean {
    return this.nodes.has(path);
  }

  /** Every policy path, for diagnostics and tests. */
  get paths(): string[] {
    return [...this.nodes.keys()];
  }

  /** Evaluates the policy at `path` over verified, de-duplicated identities. */
  evaluate(path: string, identities: Identity[]): PolicyResult {
    const node = this.nodes.get(path);
    if (!node) return { ok: false, message: `no such policy: '${path}'` };
    switch (node.kind) {
      case 'signature':
        return node.policy.evaluateIdentities(identities) ? { ok: true } : { ok: false, message: 'signature set did not satisfy policy' };
      case 'implicit': {
        const subName = node.meta.getSubPolicy();
        const subs = (this.childGroups.get(node.group) ?? []).map((child) => () => this.evaluate(`${child}/${subName}`, identities).ok);
        return evaluateImplicitMeta(node.meta, subs);
      }
      case 'broken':
        return { ok: false, message: node.message };
    }
  }
}
