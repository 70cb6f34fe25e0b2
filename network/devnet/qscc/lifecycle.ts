/**
 * `_lifecycle`'s QueryChaincodeDefinition, the one lifecycle query a client may evaluate through
 * the Gateway API on the devnet: the committed definition of a chaincode and which organisations
 * approved it. Checks, their order and their texts follow Fabric 2.5's lifecycle SCC
 * (`core/chaincode/lifecycle/scc.go`): exactly two arguments, the `_lifecycle/<fn>` ACL, then the
 * function. The devnet's definitions are configured rather than approved and committed
 * (definitions/definition.ts), so each channel organisation counts as having approved them, and
 * they carry Fabric's default plugins (`escc`, `vscc`) as the peer CLI's approve/commit sets them.
 */
import { peer } from '@hyperledger/fabric-protos';
import { decodeWire, unpackProposal } from '@healthledger/fabric-core/protos';
import type { ChannelConfig } from '../channelconfig';
import type { ChaincodeRegistry } from '../definitions';

/** What the lifecycle query reads: the channel's ACLs and orgs, and the committed definitions. */
export interface LifecycleSupport {
  readonly config: Pick<ChannelConfig, 'channelId' | 'orgs' | 'aclPolicy' | 'evaluatePolicy'>;
  readonly chaincodes: Pick<ChaincodeRegistry, 'get'>;
}

/** The lifecycle functions Fabric's channel ACLs map; only the query is answered here. */
const MAPPED = new Set(['CheckCommitReadiness', 'CommitChaincodeDefinition', 'QueryChaincodeDefinition', 'QueryChaincodeDefinitions']);

function response(status: number, message: string, payload?: Uint8Array): peer.Response {
  const r = new peer.Response();
  r.setStatus(status);
  if (message) r.setMessage(message);
  if (payload) r.setPayload(payload);
  return r;
}

/** Fabric's ACL check of `_lifecycle/<fn>`; the failure text as the SCC wraps it, or undefined. */
function aclFailure(support: LifecycleSupport, fn: string, signed: peer.SignedProposal): string | undefined {
  const resource = `_lifecycle/${fn}`;
  const policy = MAPPED.has(fn) ? support.config.aclPolicy(resource) : undefined;
  if (policy === undefined) return `Unmapped policy for ${resource}`;
  const p = unpackProposal(signed);
  const result = support.config.evaluatePolicy(policy, [{ identity: p.creator, data: p.proposalBytes, signature: p.signature }]);
  if (result.ok) return undefined;
  const channel = support.config.channelId;
  return `Failed evaluating policy on signed data during check policy on channel [${channel}] with policy [${policy}]: [${result.message}]`;
}

/** The QueryChaincodeDefinitionResult of chaincode `name`, or a 404 as Fabric answers an undefined one. */
function queryDefinition(support: LifecycleSupport, input: Uint8Array): peer.Response {
  let args: peer.lifecycle.QueryChaincodeDefinitionArgs;
  try {
    // A client's bytes: walked by the wire check before google-protobuf reads them.
    args = decodeWire('QueryChaincodeDefinitionArgs', input);
  } catch (err) {
    const why = `could not decode input arg for *lifecycle.Invocation.QueryChaincodeDefinition: ${(err as Error).message}`;
    return response(500, `failed to invoke backing implementation of 'QueryChaincodeDefinition': ${why}`);
  }
  const def = support.chaincodes.get(args.getName());
  if (!def) return response(404, `namespace ${args.getName()} is not defined`);
  const result = new peer.lifecycle.QueryChaincodeDefinitionResult();
  result.setSequence(def.sequence);
  result.setVersion(def.version);
  result.setEndorsementPlugin('escc');
  result.setValidationPlugin('vscc');
  result.setValidationParameter(def.endorsementPolicy.serializeBinary());
  result.setInitRequired(false);
  result.setCollections(def.collections);
  for (const org of support.config.orgs) result.getApprovalsMap().set(org, true);
  return response(200, '', result.serializeBinary());
}

/**
 * Runs a `_lifecycle` call evaluated on a peer. `args` are the ChaincodeInput args: the function
 * name and its serialized input message.
 */
export function invokeLifecycle(support: LifecycleSupport, args: Uint8Array[], signedProposal: peer.SignedProposal): peer.Response {
  if (args.length === 0) return response(500, 'lifecycle scc must be invoked with arguments');
  if (args.length !== 2) return response(500, `lifecycle scc operations require exactly two arguments but received ${args.length}`);
  const fn = Buffer.from(args[0] as Uint8Array).toString('utf8');
  const denied = aclFailure(support, fn, signedProposal);
  if (denied !== undefined) return response(500, `Failed to authorize invocation due to failed ACL check: ${denied}`);
  if (fn === 'QueryChaincodeDefinition') return queryDefinition(support, args[1] as Uint8Array);
  // Approving and committing happen in the devnet's configuration, not through transactions.
  return response(500, `failed to invoke backing implementation of '${fn}': not available on the devnet`);
}
