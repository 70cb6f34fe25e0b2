/**
 * The config transaction an orderer makes of an accepted CONFIG_UPDATE: a CONFIG envelope carrying
 * the whole new config and the update it came from (`last_update`), signed by the orderer.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { computeTxId, decodeWire } from '@healthledger/fabric-core/protos';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';

const NONCE_BYTES = 24;

/** The `ConfigUpdateEnvelope` inside a CONFIG_UPDATE envelope. */
export function configUpdateOf(envelope: common.Envelope): common.ConfigUpdateEnvelope {
  // A client's CONFIG_UPDATE: each layer walked by the wire check before google-protobuf reads it.
  const payload = decodeWire('Payload', envelope.getPayload_asU8());
  return decodeWire('ConfigUpdateEnvelope', payload.getData_asU8());
}

/** A signed CONFIG envelope for `config`, resulting from `lastUpdate`. */
export function configTransaction(channelId: string, config: common.Config, lastUpdate: common.Envelope, signer: SigningIdentity): { bytes: Uint8Array; txId: string } {
  const nonce = randomBytes(NONCE_BYTES);
  const txId = computeTxId(nonce, signer.serialized);
  const timestamp = new Timestamp();
  timestamp.fromDate(new Date());
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setChannelId(channelId);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(timestamp);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(signer.serialized);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const data = new common.ConfigEnvelope();
  data.setConfig(config);
  data.setLastUpdate(lastUpdate);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signer.sign(payloadBytes));
  return { bytes: envelope.serializeBinary(), txId };
}

/** The LAST_CONFIG index a block carries (0 when absent). */
export function lastConfigIndexOf(block: common.Block): bigint {
  const slot = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.LAST_CONFIG];
  if (!slot || slot.length === 0) return 0n;
  const value = common.Metadata.deserializeBinary(slot).getValue_asU8();
  return value.length === 0 ? 0n : BigInt(common.LastConfig.deserializeBinary(value).getIndex());
}
