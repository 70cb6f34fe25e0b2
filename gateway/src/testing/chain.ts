/**
 * A small hash-linked chain of endorser transactions for the ledger-view tests: each envelope
 * names its creator (an X.509 certificate with a role), its function and the keys it writes, and
 * a scripted qscc answers the chain info, blocks by number or hash, and transactions by id.
 */
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { blockDataHash } from '../audit/integrity';
import type { RecordedCall } from './scripted-ledger';

/** One transaction of the fixture: id, `contract:name`, composite keys written (parts). */
export interface FixtureTx {
  txId: string;
  fn: string;
  writes: string[][];
}

function writeSet(writes: string[][]): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  kv.setWritesList(
    writes.map((parts) => {
      const write = new ledger.rwset.kvrwset.KVWrite();
      write.setKey(`\u0000${parts.join('\u0000')}\u0000`);
      write.setValue(Buffer.from('{"value":"never shown"}'));
      return write;
    }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace('healthledger');
  ns.setRwset(kv.serializeBinary());
  const set = new ledger.rwset.TxReadWriteSet();
  set.setNsRwsetList([ns]);
  return set.serializeBinary();
}

export function envelope(tx: FixtureTx, creatorCertPem: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(tx.txId);
  channelHeader.setChannelId('healthchannel');
  channelHeader.setTimestamp(Timestamp.fromDate(new Date('2026-01-01T00:00:00Z')));
  const creator = new msp.SerializedIdentity();
  creator.setMspid('Hospital1MSP');
  creator.setIdBytes(Buffer.from(creatorCertPem));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from(tx.fn), Buffer.from('{}')]);
  const ccId = new peer.ChaincodeID();
  ccId.setName('healthledger');
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResults(writeSet(tx.writes));
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

/** Blocks 0..n-1, block i holding `txs[i]` (one transaction each, all valid), hash-linked. */
export function chainOf(txs: FixtureTx[], creatorCertPem: string): common.Block[] {
  const blocks: common.Block[] = [];
  let previous: Uint8Array = new Uint8Array();
  txs.forEach((tx, n) => {
    const data = [envelope(tx, creatorCertPem)];
    const header = new common.BlockHeader();
    header.setNumber(n);
    header.setPreviousHash(previous);
    header.setDataHash(blockDataHash(data));
    const blockData = new common.BlockData();
    blockData.setDataList(data);
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([new Uint8Array(), new Uint8Array(), Uint8Array.from([0]), new Uint8Array(), new Uint8Array()]);
    const block = new common.Block();
    block.setHeader(header);
    block.setData(blockData);
    block.setMetadata(metadata);
    blocks.push(block);
    previous = blockHeaderHash(BigInt(n), previous, header.getDataHash_asU8());
  });
  return blocks;
}

export function headerHashOf(block: common.Block): Buffer {
  const header = block.getHeader()!;
  return blockHeaderHash(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8());
}

function txIdOf(block: common.Block): string {
  const envelope = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]!);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId();
}

/** A scripted-ledger handler answering qscc over `blocks` (read at call time, so tests may tamper). */
export function qsccOver(blocks: () => common.Block[]) {
  return ({ call }: RecordedCall): Uint8Array => {
    const chain = blocks();
    const arg = call.args?.[0] ?? '';
    const byTx = () => chain.find((b) => txIdOf(b) === arg);
    switch (call.fn) {
      case 'GetChainInfo': {
        const info = new common.BlockchainInfo();
        info.setHeight(chain.length);
        info.setCurrentblockhash(headerHashOf(chain[chain.length - 1]!));
        return info.serializeBinary();
      }
      case 'GetBlockByNumber':
        return chain[Number(arg)]!.serializeBinary();
      case 'GetBlockByHash': {
        const found = chain.find((b) => headerHashOf(b).toString('hex') === arg);
        if (!found) throw new Error(`Failed to get block hash, error no such block hash [${arg}] in index`);
        return found.serializeBinary();
      }
      case 'GetBlockByTxID':
      case 'GetTransactionByID': {
        const found = byTx();
        if (!found) throw new Error(`Failed to get transaction with id ${arg}, error no such transaction ID [${arg}] in index`);
        if (call.fn === 'GetBlockByTxID') return found.serializeBinary();
        const processed = new peer.ProcessedTransaction();
        processed.setTransactionenvelope(common.Envelope.deserializeBinary(found.getData()!.getDataList_asU8()[0]!));
        processed.setValidationcode(0);
        return processed.serializeBinary();
      }
      default:
        throw new Error(`unexpected ${call.fn}`);
    }
  };
}
