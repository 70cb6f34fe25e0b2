/**
 * qscc (and cscc's GetConfigBlock), the system chaincodes a client queries through Evaluate
 * (docs/design/fabric-conformance.md l). No chaincode process, no simulation: answers come straight from the block store,
 * with Fabric's exact failure texts.
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { unpackProposal } from '@healthledger/fabric-core/protos';
import { lastConfigIndexOf } from '../orderer/config-envelope';
import type { ChannelConfig } from '../channelconfig';
import type { BlockStore } from '../ledger';
import type { SignedData } from '@healthledger/fabric-core/policy';

/** What qscc reads: the channel's ACLs and the block store. */
export interface QsccSupport {
  readonly config: Pick<ChannelConfig, 'channelId' | 'aclPolicy' | 'evaluatePolicy'>;
  readonly blocks: Pick<BlockStore, 'height' | 'currentHash' | 'previousHash' | 'txLocation' | 'getBlock' | 'getBlockByHash'>;
}

/** Functions with an ACL entry (`qscc/<fn>`, `cscc/<fn>`); others fail the ACL as "Unmapped". */
const QSCC_FUNCTIONS = new Set(['GetChainInfo', 'GetBlockByNumber', 'GetBlockByHash', 'GetTransactionByID', 'GetBlockByTxID']);
const CSCC_FUNCTIONS = new Set(['GetConfigBlock']);

const MAX_UINT64 = (1n << 64n) - 1n;

/** A failed qscc call: Response{status 500, message}. */
class QueryFailure extends Error {}

function ok(payload: Uint8Array): peer.Response {
  const response = new peer.Response();
  response.setStatus(200);
  response.setPayload(payload);
  return response;
}

function failed(message: string): peer.Response {
  const response = new peer.Response();
  response.setStatus(500);
  response.setMessage(message);
  return response;
}

/** Go's strconv.ParseUint(s, 10, 64) with its error texts. */
function parseUint64(text: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new QueryFailure(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > MAX_UINT64) throw new QueryFailure(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

function checkAcl(support: QsccSupport, system: 'qscc' | 'cscc', fn: string, channel: string, signed: SignedData): void {
  const known = system === 'qscc' ? QSCC_FUNCTIONS : CSCC_FUNCTIONS;
  const resource = `${system}/${fn}`;
  if (!known.has(fn)) throw new QueryFailure(`access denied for [${fn}][${channel}]: [Unmapped policy for ${resource}]`);
  const policy = support.config.aclPolicy(resource) ?? '/Channel/Application/Readers';
  const result = support.config.evaluatePolicy(policy, [signed]);
  if (!result.ok) {
    throw new QueryFailure(
      `access denied for [${fn}][${channel}]: [Failed evaluating policy on signed data during check policy on channel [${channel}] with policy [${policy}]: [${result.message}]]`,
    );
  }
}

function chainInfo(blocks: QsccSupport['blocks']): Uint8Array {
  const info = new common.BlockchainInfo();
  info.setHeight(Number(blocks.height));
  info.setCurrentblockhash(blocks.currentHash());
  info.setPreviousblockhash(blocks.previousHash());
  return info.serializeBinary();
}

function blockByTxId(blocks: QsccSupport['blocks'], txId: string, what: string): { block: common.Block; txNum: number; code: number } {
  const location = blocks.txLocation(txId);
  const block = location ? blocks.getBlock(location.blockNum) : undefined;
  if (!location || !block) throw new QueryFailure(`${what}, error no such transaction ID [${txId}] in index`);
  return { block, txNum: location.txNum, code: location.code };
}

function query(blocks: QsccSupport['blocks'], fn: string, arg: Uint8Array): Uint8Array {
  const text = Buffer.from(arg).toString('utf8');
  switch (fn) {
    case 'GetChainInfo':
      return chainInfo(blocks);
    case 'GetBlockByNumber': {
      let number: bigint;
      try {
        number = parseUint64(text);
      } catch (err) {
        throw new QueryFailure(`Failed to parse block number with error ${(err as Error).message}`);
      }
      const block = blocks.getBlock(number);
      if (!block) throw new QueryFailure(`Failed to get block number ${number}, error no such block number [${number}] in index`);
      return block.serializeBinary();
    }
    case 'GetBlockByHash': {
      const block = blocks.getBlockByHash(arg);
      if (!block) throw new QueryFailure(`Failed to get block hash ${text}, error no such block hash [${Buffer.from(arg).toString('hex')}] in index`);
      return block.serializeBinary();
    }
    case 'GetTransactionByID': {
      const { block, txNum, code } = blockByTxId(blocks, text, `Failed to get transaction with id ${text}`);
      const envelopeBytes = block.getData()?.getDataList_asU8()[txNum] ?? new Uint8Array(0);
      const processed = new peer.ProcessedTransaction();
      processed.setTransactionenvelope(common.Envelope.deserializeBinary(envelopeBytes));
      processed.setValidationcode(code);
      return processed.serializeBinary();
    }
    case 'GetBlockByTxID':
      return blockByTxId(blocks, text, `Failed to get block for txID ${text}`).block.serializeBinary();
    case 'GetConfigBlock': {
      // The last config block, which every block names in its LAST_CONFIG metadata.
      const last = blocks.height > 0n ? blocks.getBlock(blocks.height - 1n) : undefined;
      const block = blocks.getBlock(last ? lastConfigIndexOf(last) : 0n);
      if (!block) throw new QueryFailure('Unknown chain ID');
      return block.serializeBinary();
    }
    default:
      throw new QueryFailure(`Requested function ${fn} not found.`);
  }
}

/**
 * Runs a qscc or cscc call. `args` are the ChaincodeInput args: function name, channel, argument.
 * Checks run in Fabric's order: argument count, 3rd argument, channel, ACL (all observed).
 */
export function invoke(support: QsccSupport, args: Uint8Array[], signedProposal: peer.SignedProposal, system: 'qscc' | 'cscc' = 'qscc'): peer.Response {
  try {
    const [fnBytes, channelBytes, arg] = args;
    if (!fnBytes || !channelBytes) throw new QueryFailure(`Incorrect number of arguments, ${args.length}`);
    const fn = Buffer.from(fnBytes).toString('utf8');
    const channel = Buffer.from(channelBytes).toString('utf8');
    if (system === 'qscc' && fn !== 'GetChainInfo' && arg === undefined) throw new QueryFailure(`missing 3rd argument for ${fn}`);
    if (channel !== support.config.channelId) throw new QueryFailure(`Invalid chain ID, ${channel}`);
    const proposal = unpackProposal(signedProposal);
    checkAcl(support, system, fn, channel, { identity: proposal.creator, data: proposal.proposalBytes, signature: proposal.signature });
    return ok(query(support.blocks, fn, arg ?? new Uint8Array(0)));
  } catch (err) {
    if (err instanceof QueryFailure) return failed(err.message);
    throw err;
  }
}
