/**
 * Endorsement-policy validation at commit: key-level (state-based) policies first,
 * then collection policies, then the chaincode's, each fallback evaluated at most once.
 */
import { common, type peer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { StateDb } from '../ledger';
import { evaluateSignaturePolicy, type SignedData } from '@healthledger/fabric-core/policy';
import type { ChaincodeRegistry } from '../definitions';
import type { BlockUpdates } from './block-updates';
import type { EndorserTransaction, NamespaceRwset } from './transaction';

/** Metadata key holding a key-level endorsement policy (a serialized SignaturePolicyEnvelope). */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** What policy validation reads. */
export interface EndorsementContext {
  config: Pick<ChannelConfig, 'msps' | 'evaluateApplicationPolicy'>;
  state: StateDb;
  chaincodes: Pick<ChaincodeRegistry, 'get' | 'collection'>;
  updates: BlockUpdates;
}

/** The endorsements as signed data: each endorser signed `prpBytes ‖ endorser`. */
export function endorsementSignatures(tx: EndorserTransaction): SignedData[] {
  return tx.endorsements.map((e) => ({
    identity: e.getEndorser_asU8(),
    data: Buffer.concat([tx.prpBytes, e.getEndorser_asU8()]),
    signature: e.getSignature_asU8(),
  }));
}

class PolicyFailure extends Error {}

/** Validates one namespace; throws PolicyFailure. */
function validateNamespace(ctx: EndorsementContext, ns: NamespaceRwset | undefined, name: string, signed: SignedData[]): void {
  const def = ctx.chaincodes.get(name);
  if (!def) throw new PolicyFailure(`chaincode ${name} is not defined`);
  const evaluated = new Set<string>();
  const fallback = (key: string, policy: peer.ApplicationPolicy): void => {
    if (evaluated.has(key)) return;
    evaluated.add(key);
    if (!ctx.config.evaluateApplicationPolicy(policy, signed).ok) throw new PolicyFailure(`policy ${key} not satisfied`);
  };
  const keyLevel = (parameter: Buffer | undefined, changedInBlock: boolean, otherwise: () => void): void => {
    if (changedInBlock) throw new PolicyFailure('validation parameter changed earlier in the block');
    if (!parameter) return otherwise();
    const envelope = common.SignaturePolicyEnvelope.deserializeBinary(parameter);
    if (!evaluateSignaturePolicy(envelope, signed, ctx.config.msps)) throw new PolicyFailure('key-level policy not satisfied');
  };
  const chaincodePolicy = (): void => fallback('chaincode', def.endorsementPolicy);

  if (ns) {
    // Each key once: a key with both a value and a metadata write (every commissioned pack, which
    // gets its owner's key-level policy) has one policy to check, not two state reads.
    const publicKeys = new Set([...ns.kv.getWritesList().map((w) => w.getKey()), ...ns.kv.getMetadataWritesList().map((m) => m.getKey())]);
    for (const key of publicKeys) {
      const parameter = ctx.state.get(name, key)?.metadata.get(VALIDATION_PARAMETER);
      keyLevel(parameter, ctx.updates.publicMetadataChanged(name, key), chaincodePolicy);
    }
    for (const coll of ns.collections) {
      const hashes = [...coll.hashed.getHashedWritesList().map((w) => w.getKeyHash_asU8()), ...coll.hashed.getMetadataWritesList().map((m) => m.getKeyHash_asU8())];
      for (const keyHash of hashes) {
        const parameter = ctx.state.getHashed(name, coll.name, keyHash)?.metadata.get(VALIDATION_PARAMETER);
        keyLevel(parameter, ctx.updates.hashedMetadataChanged(name, coll.name, keyHash), () => {
          const policy = ctx.chaincodes.collection(name, coll.name)?.endorsementPolicy;
          if (policy) fallback(`collection ${coll.name}`, policy);
          else chaincodePolicy();
        });
      }
    }
  }
  // No write evaluated anything (read-only, or only key-level policies?) — only the former
  // falls back: when every written key carried its own policy the chaincode policy is skipped.
  const wroteSomething = ns !== undefined && hasWrites(ns);
  if (!wroteSomething && evaluated.size === 0) chaincodePolicy();
}

/** Public writes, public metadata writes, hashed writes or hashed metadata writes. */
export function hasWrites(ns: NamespaceRwset): boolean {
  return (
    ns.kv.getWritesList().length > 0 ||
    ns.kv.getMetadataWritesList().length > 0 ||
    ns.collections.some((c) => c.hashed.getHashedWritesList().length > 0 || c.hashed.getMetadataWritesList().length > 0)
  );
}

/**
 * True when the endorsements satisfy every applicable policy: the invoked chaincode always, plus
 * every namespace that writes.
 */
export function endorsementValid(ctx: EndorsementContext, tx: EndorserTransaction): boolean {
  const signed = endorsementSignatures(tx);
  const checked = new Map<string, NamespaceRwset | undefined>([[tx.chaincodeName, tx.namespaces.find((n) => n.namespace === tx.chaincodeName)]]);
  for (const ns of tx.namespaces) if (hasWrites(ns)) checked.set(ns.namespace, ns);
  try {
    for (const [name, ns] of checked) validateNamespace(ctx, ns, name, signed);
    return true;
  } catch (err) {
    if (err instanceof PolicyFailure) return false;
    throw err;
  }
}
