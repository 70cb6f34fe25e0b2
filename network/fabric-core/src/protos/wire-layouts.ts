/**
 * The field layouts the wire check (wire-check.ts) walks: for every message that the devnet or the
 * gateway decodes from a client's bytes, the fields google-protobuf reads as strings or messages
 * (field number → what it holds), from Fabric's protos as @hyperledger/fabric-protos generates them,
 * and the generated class that decodes it. wire-check.test.ts holds every layout to what its class's
 * generated reader reads, so a layout cannot silently miss a field.
 *
 * A field is a scalar of a wire type, an embedded message (Go's protobuf unmarshals it with its
 * parent, so it is always walked), or bytes that hold a serialized message decoded later (`holds`:
 * walked only by a deep walk; a shallow walk leaves it to the check where it is decoded, which then
 * answers as Fabric answers there). Repeated scalars and fields google-protobuf reads as bytes need
 * no entry: unknown fields are skipped within their bounds, and google-protobuf checks a bytes
 * length against the end of the buffer itself.
 */
import { common, gateway, ledger, msp, orderer, peer } from '@hyperledger/fabric-protos';

/** What a known field holds. */
export type Field = 'varint' | 'string' | 'bytes' | { readonly message: string } | { readonly holds: string };

/** A map<string, bytes> entry (transient maps, chaincode input decorations, isolated data). */
const STRING_TO_BYTES = { 1: 'string', 2: 'bytes' } as const;

export const LAYOUTS = {
  // The Gateway service's requests (peer/gateway.proto).
  EndorseRequest: { 1: 'string', 2: 'string', 3: { message: 'SignedProposal' }, 4: 'string' },
  EvaluateRequest: { 1: 'string', 2: 'string', 3: { message: 'SignedProposal' }, 4: 'string' },
  SubmitRequest: { 1: 'string', 2: 'string', 3: { message: 'Envelope' } },
  SignedCommitStatusRequest: { 1: { holds: 'CommitStatusRequest' }, 2: 'bytes' },
  CommitStatusRequest: { 1: 'string', 2: 'string', 3: { holds: 'SerializedIdentity' } },
  SignedChaincodeEventsRequest: { 1: { holds: 'ChaincodeEventsRequest' }, 2: 'bytes' },
  ChaincodeEventsRequest: { 1: 'string', 2: 'string', 3: { holds: 'SerializedIdentity' }, 4: { message: 'SeekPosition' }, 5: 'string' },
  // What the offline-signing endpoints take (the gateway's own messages of the same protos).
  ProposedTransaction: { 1: 'string', 2: { message: 'SignedProposal' }, 3: 'string' },
  PreparedTransaction: { 1: 'string', 2: { message: 'TransactionEnvelope' } },

  // A proposal, layer by layer.
  SignedProposal: { 1: { holds: 'Proposal' }, 2: 'bytes' },
  Proposal: { 1: { holds: 'Header' }, 2: { holds: 'ChaincodeProposalPayload' }, 3: 'bytes' },
  Header: { 1: { holds: 'ChannelHeader' }, 2: { holds: 'SignatureHeader' } },
  ChannelHeader: { 1: 'varint', 2: 'varint', 3: { message: 'Timestamp' }, 4: 'string', 5: 'string', 6: 'varint', 7: { holds: 'ChaincodeHeaderExtension' }, 8: 'bytes' },
  Timestamp: { 1: 'varint', 2: 'varint' },
  SignatureHeader: { 1: { holds: 'SerializedIdentity' }, 2: 'bytes' },
  SerializedIdentity: { 1: 'string', 2: 'bytes' },
  ChaincodeHeaderExtension: { 2: { message: 'ChaincodeID' } },
  ChaincodeProposalPayload: { 1: { holds: 'ChaincodeInvocationSpec' }, 2: { message: 'StringToBytes' } },
  StringToBytes: STRING_TO_BYTES,
  ChaincodeInvocationSpec: { 1: { message: 'ChaincodeSpec' } },
  ChaincodeSpec: { 1: 'varint', 2: { message: 'ChaincodeID' }, 3: { message: 'ChaincodeInput' }, 4: 'varint' },
  ChaincodeInput: { 2: { message: 'StringToBytes' }, 3: 'varint' },
  ChaincodeID: { 1: 'string', 2: 'string', 3: 'string' },

  // The argument of `_lifecycle` QueryChaincodeDefinition, taken from a proposal's input.
  QueryChaincodeDefinitionArgs: { 1: 'string' },

  // Envelopes: Deliver's and Broadcast's requests, a submitted transaction. Payload.data holds what
  // the channel header's type says, so it is decoded (and checked) where the type is known; the
  // `Transaction…` variants are an endorser transaction all the way down, for a deep walk.
  Envelope: { 1: { holds: 'Payload' }, 2: 'bytes' },
  Payload: { 1: { message: 'Header' }, 2: 'bytes' },
  TransactionEnvelope: { 1: { holds: 'TransactionPayload' }, 2: 'bytes' },
  TransactionPayload: { 1: { message: 'Header' }, 2: { holds: 'Transaction' } },
  SeekInfo: { 1: { message: 'SeekPosition' }, 2: { message: 'SeekPosition' }, 3: 'varint', 4: 'varint', 5: 'varint' },
  SeekPosition: { 1: { message: 'SeekNewest' }, 2: { message: 'SeekOldest' }, 3: { message: 'SeekSpecified' }, 4: { message: 'SeekNextCommit' } },
  SeekNewest: {},
  SeekOldest: {},
  SeekSpecified: { 1: 'varint' },
  SeekNextCommit: {},

  // An endorser transaction, as the committer takes it apart.
  Transaction: { 1: { message: 'TransactionAction' } },
  TransactionAction: { 1: { holds: 'SignatureHeader' }, 2: { holds: 'ChaincodeActionPayload' } },
  ChaincodeActionPayload: { 1: { holds: 'ChaincodeProposalPayload' }, 2: { message: 'ChaincodeEndorsedAction' } },
  ChaincodeEndorsedAction: { 1: { holds: 'ProposalResponsePayload' }, 2: { message: 'Endorsement' } },
  Endorsement: { 1: { holds: 'SerializedIdentity' }, 2: 'bytes' },
  ProposalResponsePayload: { 1: 'bytes', 2: { holds: 'ChaincodeAction' } },
  ChaincodeAction: { 1: { holds: 'TxReadWriteSet' }, 2: { holds: 'ChaincodeEvent' }, 3: { message: 'Response' }, 4: { message: 'ChaincodeID' } },
  Response: { 1: 'varint', 2: 'string', 3: 'bytes' },
  ChaincodeEvent: { 1: 'string', 2: 'string', 3: 'string', 4: 'bytes' },
  TxReadWriteSet: { 1: 'varint', 2: { message: 'NsReadWriteSet' } },
  NsReadWriteSet: { 1: 'string', 2: { holds: 'KVRWSet' }, 3: { message: 'CollectionHashedReadWriteSet' } },
  CollectionHashedReadWriteSet: { 1: 'string', 2: { holds: 'HashedRWSet' }, 3: 'bytes' },
  KVRWSet: { 1: { message: 'KVRead' }, 2: { message: 'RangeQueryInfo' }, 3: { message: 'KVWrite' }, 4: { message: 'KVMetadataWrite' } },
  KVRead: { 1: 'string', 2: { message: 'Version' } },
  Version: { 1: 'varint', 2: 'varint' },
  KVWrite: { 1: 'string', 2: 'varint', 3: 'bytes' },
  KVMetadataWrite: { 1: 'string', 2: { message: 'KVMetadataEntry' } },
  KVMetadataEntry: { 1: 'string', 2: 'bytes' },
  RangeQueryInfo: { 1: 'string', 2: 'string', 3: 'varint', 4: { message: 'QueryReads' }, 5: { message: 'QueryReadsMerkleSummary' } },
  QueryReads: { 1: { message: 'KVRead' } },
  QueryReadsMerkleSummary: { 1: 'varint', 2: 'varint' },
  HashedRWSet: { 1: { message: 'KVReadHash' }, 2: { message: 'KVWriteHash' }, 3: { message: 'KVMetadataWriteHash' } },
  KVReadHash: { 1: 'bytes', 2: { message: 'Version' } },
  KVWriteHash: { 1: 'bytes', 2: 'varint', 3: 'bytes', 4: 'varint' },
  KVMetadataWriteHash: { 1: 'bytes', 2: { message: 'KVMetadataEntry' } },

  // A CONFIG_UPDATE sent to Broadcast, down to the config values (whose content each value's own
  // decoder reads after the update's signatures satisfied the modification policies).
  ConfigUpdateEnvelope: { 1: { holds: 'ConfigUpdate' }, 2: { message: 'ConfigSignature' } },
  ConfigSignature: { 1: { holds: 'SignatureHeader' }, 2: 'bytes' },
  ConfigUpdate: { 1: 'string', 2: { message: 'ConfigGroup' }, 3: { message: 'ConfigGroup' }, 5: { message: 'StringToBytes' } },
  ConfigGroup: { 1: 'varint', 2: { message: 'StringToConfigGroup' }, 3: { message: 'StringToConfigValue' }, 4: { message: 'StringToConfigPolicy' }, 5: 'string' },
  StringToConfigGroup: { 1: 'string', 2: { message: 'ConfigGroup' } },
  StringToConfigValue: { 1: 'string', 2: { message: 'ConfigValue' } },
  StringToConfigPolicy: { 1: 'string', 2: { message: 'ConfigPolicy' } },
  ConfigValue: { 1: 'varint', 2: 'bytes', 3: 'string' },
  ConfigPolicy: { 1: 'varint', 2: { message: 'Policy' }, 3: 'string' },
  Policy: { 1: 'varint', 2: 'bytes' },
  // An organisation's MSP value in such an update (read before the update is authorized).
  MSPConfig: { 1: 'varint', 2: { holds: 'FabricMSPConfig' } },
  FabricMSPConfig: { 1: 'string', 6: { message: 'SigningIdentityInfo' }, 7: { message: 'FabricOUIdentifier' }, 8: { message: 'FabricCryptoConfig' }, 11: { message: 'FabricNodeOUs' } },
  SigningIdentityInfo: { 2: { message: 'KeyInfo' } },
  KeyInfo: { 1: 'string' },
  FabricOUIdentifier: { 2: 'string' },
  FabricCryptoConfig: { 1: 'string', 2: 'string' },
  FabricNodeOUs: { 1: 'varint', 2: { message: 'FabricOUIdentifier' }, 3: { message: 'FabricOUIdentifier' }, 4: { message: 'FabricOUIdentifier' }, 5: { message: 'FabricOUIdentifier' } },
} as const satisfies Record<string, Readonly<Record<number, Field>>>;

/** A message the wire check knows. */
export type MessageName = keyof typeof LAYOUTS;

/** Layouts of map entries: google-protobuf decodes them inside their map, with no class of their own. */
export const MAP_ENTRIES = ['StringToBytes', 'StringToConfigGroup', 'StringToConfigValue', 'StringToConfigPolicy'] as const satisfies readonly MessageName[];

/** The generated class that decodes each message (a variant layout decodes with its message's class). */
export const MESSAGE_TYPES = {
  EndorseRequest: gateway.EndorseRequest,
  EvaluateRequest: gateway.EvaluateRequest,
  SubmitRequest: gateway.SubmitRequest,
  SignedCommitStatusRequest: gateway.SignedCommitStatusRequest,
  CommitStatusRequest: gateway.CommitStatusRequest,
  SignedChaincodeEventsRequest: gateway.SignedChaincodeEventsRequest,
  ChaincodeEventsRequest: gateway.ChaincodeEventsRequest,
  ProposedTransaction: gateway.ProposedTransaction,
  PreparedTransaction: gateway.PreparedTransaction,
  SignedProposal: peer.SignedProposal,
  Proposal: peer.Proposal,
  Header: common.Header,
  ChannelHeader: common.ChannelHeader,
  SignatureHeader: common.SignatureHeader,
  SerializedIdentity: msp.SerializedIdentity,
  ChaincodeHeaderExtension: peer.ChaincodeHeaderExtension,
  ChaincodeProposalPayload: peer.ChaincodeProposalPayload,
  ChaincodeInvocationSpec: peer.ChaincodeInvocationSpec,
  ChaincodeSpec: peer.ChaincodeSpec,
  ChaincodeInput: peer.ChaincodeInput,
  ChaincodeID: peer.ChaincodeID,
  QueryChaincodeDefinitionArgs: peer.lifecycle.QueryChaincodeDefinitionArgs,
  Envelope: common.Envelope,
  Payload: common.Payload,
  TransactionEnvelope: common.Envelope,
  TransactionPayload: common.Payload,
  SeekInfo: orderer.SeekInfo,
  SeekPosition: orderer.SeekPosition,
  SeekNewest: orderer.SeekNewest,
  SeekOldest: orderer.SeekOldest,
  SeekSpecified: orderer.SeekSpecified,
  SeekNextCommit: orderer.SeekNextCommit,
  Transaction: peer.Transaction,
  TransactionAction: peer.TransactionAction,
  ChaincodeActionPayload: peer.ChaincodeActionPayload,
  ChaincodeEndorsedAction: peer.ChaincodeEndorsedAction,
  Endorsement: peer.Endorsement,
  ProposalResponsePayload: peer.ProposalResponsePayload,
  ChaincodeAction: peer.ChaincodeAction,
  Response: peer.Response,
  ChaincodeEvent: peer.ChaincodeEvent,
  TxReadWriteSet: ledger.rwset.TxReadWriteSet,
  NsReadWriteSet: ledger.rwset.NsReadWriteSet,
  CollectionHashedReadWriteSet: ledger.rwset.CollectionHashedReadWriteSet,
  KVRWSet: ledger.rwset.kvrwset.KVRWSet,
  KVRead: ledger.rwset.kvrwset.KVRead,
  Version: ledger.rwset.kvrwset.Version,
  KVWrite: ledger.rwset.kvrwset.KVWrite,
  KVMetadataWrite: ledger.rwset.kvrwset.KVMetadataWrite,
  KVMetadataEntry: ledger.rwset.kvrwset.KVMetadataEntry,
  RangeQueryInfo: ledger.rwset.kvrwset.RangeQueryInfo,
  QueryReads: ledger.rwset.kvrwset.QueryReads,
  QueryReadsMerkleSummary: ledger.rwset.kvrwset.QueryReadsMerkleSummary,
  HashedRWSet: ledger.rwset.kvrwset.HashedRWSet,
  KVReadHash: ledger.rwset.kvrwset.KVReadHash,
  KVWriteHash: ledger.rwset.kvrwset.KVWriteHash,
  KVMetadataWriteHash: ledger.rwset.kvrwset.KVMetadataWriteHash,
  ConfigUpdateEnvelope: common.ConfigUpdateEnvelope,
  ConfigSignature: common.ConfigSignature,
  ConfigUpdate: common.ConfigUpdate,
  ConfigGroup: common.ConfigGroup,
  ConfigValue: common.ConfigValue,
  ConfigPolicy: common.ConfigPolicy,
  Policy: common.Policy,
  MSPConfig: msp.MSPConfig,
  FabricMSPConfig: msp.FabricMSPConfig,
  SigningIdentityInfo: msp.SigningIdentityInfo,
  KeyInfo: msp.KeyInfo,
  FabricOUIdentifier: msp.FabricOUIdentifier,
  FabricCryptoConfig: msp.FabricCryptoConfig,
  FabricNodeOUs: msp.FabricNodeOUs,
} as const satisfies Record<Exclude<MessageName, (typeof MAP_ENTRIES)[number] | 'Timestamp'>, unknown>;

/** A message the wire check can also decode. */
export type DecodableName = keyof typeof MESSAGE_TYPES;
