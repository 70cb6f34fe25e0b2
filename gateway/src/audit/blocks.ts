/**
 * Decodes blocks and transactions returned by qscc into auditor-friendly JSON: numbers, hashes,
 * and per transaction its id, type, time, creator organisation, chaincode function and validation
 * code. Arguments and write sets are left out (they name assets, and a block view is no place to
 * browse them); the history endpoint serves asset values.
 */
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';

const VALIDATION_NAMES = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name])) as Record<number, string>;
const HEADER_TYPES = Object.fromEntries(Object.entries(common.HeaderType).map(([name, code]) => [code, name])) as Record<number, string>;

export interface TransactionView {
  txId: string;
  type: string;
  timestamp: string | undefined;
  creatorMspId: string | undefined;
  chaincode: string | undefined;
  function: string | undefined;
  validationCode: number;
  validation: string;
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
  const creator = signatureHeader.getCreator_asU8();
  const timestamp = channelHeader.getTimestamp();
  const view: TransactionView = {
    txId: channelHeader.getTxId(),
    type: HEADER_TYPES[channelHeader.getType()] ?? String(channelHeader.getType()),
    timestamp: timestamp ? timestamp.toDate().toISOString() : undefined,
    creatorMspId: creator.length > 0 ? msp.SerializedIdentity.deserializeBinary(creator).getMspid() : undefined,
    chaincode: undefined,
    function: undefined,
    validationCode,
    validation: VALIDATION_NAMES[validationCode] ?? 'UNKNOWN',
  };
  if (channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION) Object.assign(view, invocationOf(payload.getData_asU8()));
  return view;
}

/** Chaincode name and function of an endorser transaction (first action). */
function invocationOf(data: Uint8Array): { chaincode?: string; function?: string } {
  try {
    const action = peer.Transaction.deserializeBinary(data).getActionsList()[0];
    if (!action) return {};
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8()).getChaincodeSpec();
    const fn = spec?.getInput()?.getArgsList_asU8()[0];
    return { chaincode: spec?.getChaincodeId()?.getName(), function: fn ? Buffer.from(fn).toString('utf8') : undefined };
  } catch {
    // Not decodable as an endorser transaction: report what the headers say and nothing more.
    return {};
  }
}
