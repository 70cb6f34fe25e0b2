import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { sha256 } from '@healthledger/fabric-core/crypto';

/** Fabric's `msgVersion` for configtxgen's genesis channel header. */
const GENESIS_HEADER_VERSION = 1;
const NONCE_BYTES = 24;

/** Determinism hooks for tests; production uses the clock and random nonces. */
export interface GenesisOptions {
  timestamp?: Date;
  nonce?: Uint8Array;
}

function configEnvelope(channelId: string, config: common.Config, opts: GenesisOptions): common.Envelope {
  const nonce = opts.nonce ?? randomBytes(NONCE_BYTES);
  const timestamp = new Timestamp();
  // configtxgen writes whole seconds.
  timestamp.setSeconds(Math.floor((opts.timestamp ?? new Date()).getTime() / 1000));
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setVersion(GENESIS_HEADER_VERSION);
  channelHeader.setTimestamp(timestamp);
  channelHeader.setChannelId(channelId);
  // txid = hex(SHA-256(nonce ‖ creator)) with an empty creator.
  channelHeader.setTxId(sha256(nonce).toString('hex'));
  channelHeader.setEpoch(0);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const data = new common.ConfigEnvelope();
  data.setConfig(config);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

function metadata(value: Uint8Array): Uint8Array {
  const m = new common.Metadata();
  m.setValue(value);
  return m.serializeBinary();
}

/**
 * Block 0 of the channel: one unsigned CONFIG envelope, header hash chain start, and the
 * metadata a peer serves for it: SIGNATURES `0a 02 0a 00`, LAST_CONFIG empty (index 0),
 * TRANSACTIONS_FILTER `00`, ORDERER and COMMIT_HASH empty.
 */
export function genesisBlock(channelId: string, config: common.Config, opts: GenesisOptions = {}): common.Block {
  const envelopeBytes = configEnvelope(channelId, config, opts).serializeBinary();
  const dataHash = sha256(envelopeBytes);
  const header = new common.BlockHeader();
  header.setNumber(0);
  header.setPreviousHash(new Uint8Array(0));
  header.setDataHash(dataHash);
  const data = new common.BlockData();
  data.setDataList([envelopeBytes]);

  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const ordererMetadata = new common.OrdererBlockMetadata();
  ordererMetadata.setLastConfig(lastConfig);
  const blockMetadata = new common.BlockMetadata();
  blockMetadata.setMetadataList([
    metadata(ordererMetadata.serializeBinary()), // SIGNATURES
    metadata(lastConfig.serializeBinary()), // LAST_CONFIG
    Uint8Array.of(0), // TRANSACTIONS_FILTER: VALID
    new Uint8Array(0), // ORDERER
    new Uint8Array(0), // COMMIT_HASH
  ]);

  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(blockMetadata);
  return block;
}

