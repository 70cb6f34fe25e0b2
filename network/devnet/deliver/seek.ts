/**
 * Checking a Deliver request envelope and resolving its SeekInfo into a block range,
 * with the status a Fabric peer answers for each failure.
 */
import { common, orderer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { BlockStore } from '../ledger';
import type { SignedData } from '@healthledger/fabric-core/policy';
import { decodeWire } from '@healthledger/fabric-core/protos';

/** Largest allowed clock skew between client and peer (Fabric's default, 15 minutes). */
export const MAX_TIME_SKEW_MS = 15 * 60 * 1000;

/** What resolving a request reads: the channel's ACLs and the current height. */
export interface SeekSupport {
  /** `config` (the channel config object, replaced when a config block commits) tells when to check access again. */
  readonly config: Pick<ChannelConfig, 'channelId' | 'aclPolicy' | 'evaluatePolicy'> & Partial<Pick<ChannelConfig, 'config'>>;
  readonly blocks: Pick<BlockStore, 'height'>;
}

/** A block range to deliver: `stop` undefined = forever. */
export interface SeekRange {
  start: bigint;
  stop: bigint | undefined;
  /** The requester's signature, re-checked against the ACL before every block. */
  signed: SignedData;
}

/** A Deliver failure: the stream answers `DeliverResponse{status}`. */
export class DeliverStatusError extends Error {
  override readonly name = 'DeliverStatusError';
  constructor(
    readonly status: common.StatusMap[keyof common.StatusMap],
    message: string,
  ) {
    super(message);
  }
}

/** Number client libraries use for "no stop" (MAX_SAFE_INTEGER): treated as forever. */
const FOREVER = BigInt(Number.MAX_SAFE_INTEGER);

function decodeRequest(envelope: common.Envelope): { channelHeader: common.ChannelHeader; creator: Uint8Array; seekInfo: orderer.SeekInfo } {
  try {
    // Each layer walked by the wire check before google-protobuf reads it: the envelope is a client's.
    const payload = decodeWire('Payload', envelope.getPayload_asU8());
    const header = payload.getHeader();
    if (!header) throw new Error('missing header');
    const channelHeader = decodeWire('ChannelHeader', header.getChannelHeader_asU8());
    const signatureHeader = decodeWire('SignatureHeader', header.getSignatureHeader_asU8());
    const seekInfo = decodeWire('SeekInfo', payload.getData_asU8());
    return { channelHeader, creator: signatureHeader.getCreator_asU8(), seekInfo };
  } catch (err) {
    throw new DeliverStatusError(common.Status.BAD_REQUEST, `malformed deliver request: ${(err as Error).message}`);
  }
}

/** Throws FORBIDDEN unless `signed` satisfies the resource's policy (channel Readers). */
export function checkAccess(config: SeekSupport['config'], resource: string, signed: SignedData): void {
  const policy = config.aclPolicy(resource) ?? '/Channel/Application/Readers';
  const result = config.evaluatePolicy(policy, [signed]);
  if (!result.ok) throw new DeliverStatusError(common.Status.FORBIDDEN, result.message);
}

/** Longest time a stream goes on serving on one access check when the config does not change. */
export const ACCESS_RECHECK_MS = 1000;

/**
 * The requester's access over a whole stream, as Fabric's deliver SessionAccessControl keeps it:
 * evaluated again when the channel config changed (Fabric: its sequence) or after
 * {@link ACCESS_RECHECK_MS} (Fabric: when the certificate expires), not before every block — the
 * policy evaluation verifies a signature, which would cost more than sending the block.
 */
export function sessionAccess(config: SeekSupport['config'], resource: string, signed: SignedData, now = Date.now): () => void {
  let checkedConfig: unknown;
  let checkedAt = Number.NEGATIVE_INFINITY;
  return () => {
    const time = now();
    if (checkedConfig === config.config && time - checkedAt < ACCESS_RECHECK_MS) return;
    checkAccess(config, resource, signed);
    checkedConfig = config.config;
    checkedAt = time;
  };
}

function position(p: orderer.SeekPosition | undefined, height: bigint, what: string): bigint {
  switch (p?.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      return 0n;
    case orderer.SeekPosition.TypeCase.NEWEST:
      return height > 0n ? height - 1n : 0n;
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      return BigInt(p.getSpecified()?.getNumber() ?? 0);
    case orderer.SeekPosition.TypeCase.NEXT_COMMIT:
      return height;
    default:
      throw new DeliverStatusError(common.Status.BAD_REQUEST, `seek info has no ${what} position`);
  }
}

/** Validates the request and resolves its range; throws DeliverStatusError. */
export function resolveSeek(support: SeekSupport, envelope: common.Envelope, resource: string, now = Date.now()): SeekRange {
  const { channelHeader, creator, seekInfo } = decodeRequest(envelope);
  const timestamp = channelHeader.getTimestamp();
  const sentMs = timestamp ? timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1e6 : 0;
  if (Math.abs(now - sentMs) > MAX_TIME_SKEW_MS) {
    throw new DeliverStatusError(common.Status.BAD_REQUEST, 'envelope timestamp is outside the allowed skew');
  }
  if (channelHeader.getChannelId() !== support.config.channelId) {
    throw new DeliverStatusError(common.Status.NOT_FOUND, `channel ${channelHeader.getChannelId()} not found`);
  }
  const signed: SignedData = { identity: creator, data: envelope.getPayload_asU8(), signature: envelope.getSignature_asU8() };
  checkAccess(support.config, resource, signed);
  if (!seekInfo.getStart() || !seekInfo.getStop()) throw new DeliverStatusError(common.Status.BAD_REQUEST, 'seek info needs start and stop');
  const height = support.blocks.height;
  const start = position(seekInfo.getStart(), height, 'start');
  if (start > height) throw new DeliverStatusError(common.Status.NOT_FOUND, `start block ${start} is beyond the height ${height}`);
  const stopAt = seekInfo.getStop()?.getTypeCase() === orderer.SeekPosition.TypeCase.NEXT_COMMIT ? FOREVER : position(seekInfo.getStop(), height, 'stop');
  if (stopAt < start) throw new DeliverStatusError(common.Status.BAD_REQUEST, `stop block ${stopAt} is before start block ${start}`);
  if (seekInfo.getBehavior() === orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY && start >= height) {
    throw new DeliverStatusError(common.Status.NOT_FOUND, `block ${start} is not ready`);
  }
  return { start, stop: stopAt >= FOREVER ? undefined : stopAt, signed };
}
