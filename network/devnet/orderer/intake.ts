/**
 * Broadcast intake checks: what an orderer verifies before it accepts an envelope.
 * It does not look at txid duplicates, endorsements or read-write sets — the committer does.
 */
import { common } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import { decodeWire } from '@healthledger/fabric-core/protos';

/** Fabric's default `AbsoluteMaxBytes` (10 MiB). */
export const ABSOLUTE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The orderer's channel-wide write policy. An envelope's creator must satisfy it; Fabric appends
 * ": permission denied" to the policy's own explanation (docs/design/fabric-conformance.md, Other
 * observations).
 */
export const ORDERER_WRITERS_POLICY = '/Channel/Writers';

/** What Broadcast answers for one envelope: Fabric's status and its info text. */
export interface BroadcastResult {
  status: common.StatusMap[keyof common.StatusMap];
  info: string;
}

/** What intake reads from the channel config: its id and the orderer's write policy. */
export type IntakeConfig = Pick<ChannelConfig, 'channelId' | 'evaluatePolicy'>;

/** An envelope the orderer accepted, with the bytes that go into the block unchanged. */
export interface AcceptedEnvelope {
  readonly bytes: Uint8Array;
  readonly txId: string;
  /** A config transaction (the orderer's CONFIG envelope for an accepted CONFIG_UPDATE): cut into a block of its own. */
  readonly config?: boolean;
}

/** Result of intake: accepted, or Fabric's status and info text. */
export type IntakeResult = { ok: true; envelope: AcceptedEnvelope } | { ok: false; result: BroadcastResult };

function reject(status: common.StatusMap[keyof common.StatusMap], info: string): IntakeResult {
  return { ok: false, result: { status, info } };
}

/**
 * Runs the intake checks on one envelope in Fabric's order. CONFIG_UPDATE envelopes pass only when
 * `configUpdates` is set (the orderer then turns them into config transactions).
 */
export function checkEnvelope(config: IntakeConfig, envelope: common.Envelope, configUpdates = false): IntakeResult {
  const bytes = envelope.serializeBinary();
  const payloadBytes = envelope.getPayload_asU8();
  if (payloadBytes.length === 0) return reject(common.Status.BAD_REQUEST, 'envelope has no payload');
  if (bytes.length > ABSOLUTE_MAX_BYTES) {
    return reject(common.Status.BAD_REQUEST, `message payload is ${bytes.length} bytes and exceeds maximum allowed ${ABSOLUTE_MAX_BYTES} bytes`);
  }
  let channelHeader: common.ChannelHeader;
  let signatureHeader: common.SignatureHeader;
  try {
    // Each layer walked by the wire check before google-protobuf reads it: the envelope is a client's.
    const header = decodeWire('Payload', payloadBytes).getHeader();
    if (!header) return reject(common.Status.BAD_REQUEST, 'bad header: missing header');
    channelHeader = decodeWire('ChannelHeader', header.getChannelHeader_asU8());
    signatureHeader = decodeWire('SignatureHeader', header.getSignatureHeader_asU8());
  } catch (err) {
    return reject(common.Status.BAD_REQUEST, `bad payload: ${(err as Error).message}`);
  }
  if (channelHeader.getChannelId() !== config.channelId) {
    return reject(common.Status.NOT_FOUND, `channel ${channelHeader.getChannelId()} not found`);
  }
  const type = channelHeader.getType();
  if (type !== common.HeaderType.ENDORSER_TRANSACTION && !(configUpdates && type === common.HeaderType.CONFIG_UPDATE)) {
    return reject(common.Status.BAD_REQUEST, `unsupported header type ${channelHeader.getType()}`);
  }
  const policy = config.evaluatePolicy(ORDERER_WRITERS_POLICY, [
    { identity: signatureHeader.getCreator_asU8(), data: payloadBytes, signature: envelope.getSignature_asU8() },
  ]);
  if (!policy.ok) return reject(common.Status.FORBIDDEN, `${policy.message}: permission denied`);
  return { ok: true, envelope: { bytes, txId: channelHeader.getTxId(), ...(type === common.HeaderType.CONFIG_UPDATE ? { config: true } : {}) } };
}
