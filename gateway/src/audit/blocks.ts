/**
 * Decodes blocks and transactions returned by qscc into auditor-friendly JSON: numbers, hashes,
 * and per transaction its id, type, time, creator organisation and role, chaincode function,
 * validation code and the public keys it wrote. Arguments and written values are left out (an
 * argument may be a justification; values are served by the history endpoint to those entitled);
 * keys are identifiers only (the ledger keeps PHI off-chain and private writes appear in a block
 * as hashes, which are not decoded).
 */
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { certificateAttributes } from '../fabric/wallet';

const VALIDATION_NAMES = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name])) as Record<number, string>;
const HEADER_TYPES = Object.fromEntries(Object.entries(common.HeaderType).map(([name, code]) => [code, name])) as Record<number, string>;

export interface TransactionView {
  txId: string;
  type: string;
  timestamp: string | undefined;
  creatorMspId: string | undefined;
  /** The `role` attribute of the creator's certificate. */
  creatorRole: string | undefined;
  chaincode: string | undefined;
  function: string | undefined;
  validationCode: number;
  validation: string;
  /** Keys of the chaincode's public state written (composite key parts joined by `/`). */
  writes: string[];
}

export interface BlockView {
  number: string;
  headerHash: string;
  previousHash: string;
  dataHash: string;
  transactions: TransactionView[];
}

export function blockView(block: common.Block): BlockView {
  const header = block.getHeader();
  const number = BigInt(header?.getNumber() ?? 0);
  const previousHash = header?.getPreviousHash_asU8() ?? new Uint8Array();
  const dataHash = header?.getDataHash_asU8() ?? new Uint8Array();
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  return {
    number: number.toString(),
    headerHash: blockHeaderHash(number, previousHash, dataHash).toString('hex'),
    previousHash: Buffer.from(previousHash).toString('hex'),
    dataHash: Buffer.from(dataHash).toString('hex'),
    transactions: envelopes.map((bytes, i) => transactionView(common.Envelope.deserializeBinary(bytes), filter[i] ?? 254)),
  };
}

export function transactionView(envelope: common.Envelope, validationCode: number): TransactionView {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
  const creator = creatorOf(signatureHeader.getCreator_asU8());
  const timestamp = channelHeader.getTimestamp();
  const view: TransactionView = {
    txId: channelHeader.getTxId(),
    type: HEADER_TYPES[channelHeader.getType()] ?? String(channelHeader.getType()),
    timestamp: timestamp ? timestamp.toDate().toISOString() : undefined,
    creatorMspId: creator.mspId,
    creatorRole: creator.role,
    chaincode: undefined,
    function: undefined,
    validationCode,
    validation: VALIDATION_NAMES[validationCode] ?? 'UNKNOWN',
    writes: [],
  };
  if (channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION) Object.assign(view, invocationOf(payload.getData_asU8()));
  return view;
}

/** Organisation and role of a serialized creator identity (the role from its certificate's attributes). */
function creatorOf(bytes: Uint8Array): { mspId?: string; role?: string } {
  if (bytes.length === 0) return {};
  const identity = msp.SerializedIdentity.deserializeBinary(bytes);
  let role: string | undefined;
  try {
    role = certificateAttributes(Buffer.from(identity.getIdBytes_asU8()).toString('utf8'))['role'];
  } catch {
    // Not an X.509 certificate (a test fixture, an idemix identity): the organisation is all we know.
  }
  return { mspId: identity.getMspid(), ...(role ? { role } : {}) };
}

/** Chaincode name, function and public keys written of an endorser transaction (first action). */
function invocationOf(data: Uint8Array): { chaincode?: string; function?: string; writes?: string[] } {
  try {
    const action = peer.Transaction.deserializeBinary(data).getActionsList()[0];
    if (!action) return {};
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8()).getChaincodeSpec();
    const fn = spec?.getInput()?.getArgsList_asU8()[0];
    const chaincode = spec?.getChaincodeId()?.getName();
    return { chaincode, function: fn ? Buffer.from(fn).toString('utf8') : undefined, writes: chaincode ? keysWritten(actionPayload, chaincode) : [] };
  } catch {
    // Not decodable as an endorser transaction: report what the headers say and nothing more.
    return {};
  }
}

/** The public-state keys the endorsed result writes in the chaincode's namespace, readable. */
function keysWritten(actionPayload: peer.ChaincodeActionPayload, chaincode: string): string[] {
  const responsePayload = actionPayload.getAction()?.getProposalResponsePayload_asU8();
  if (!responsePayload || responsePayload.length === 0) return [];
  const extension = peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8();
  const results = peer.ChaincodeAction.deserializeBinary(extension).getResults_asU8();
  const namespace = ledger.rwset.TxReadWriteSet.deserializeBinary(results)
    .getNsRwsetList()
    .find((ns) => ns.getNamespace() === chaincode);
  if (!namespace) return [];
  return ledger.rwset.kvrwset.KVRWSet.deserializeBinary(namespace.getRwset_asU8())
    .getWritesList()
    .map((write) => readableKey(write.getKey()));
}

/** A composite key (`\u0000type\u0000part\u0000…`) as `type/part/…`; a simple key as it is. */
export function readableKey(key: string): string {
  return key.startsWith('\u0000') ? key.split('\u0000').filter((part) => part.length > 0).join('/') : key;
}
