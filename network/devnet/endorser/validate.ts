/**
 * The endorser's checks of a proposal before simulation, in Fabric's order and with its texts
 * (Fabric's `UnpackProposal`, `Validate` and `preProcess`).
 */
import { common } from '@hyperledger/fabric-protos';
import { checkCreator, CreatorError } from '@healthledger/fabric-core/msp';
import { computeTxId, unpackProposal, type UnpackedProposal } from '@healthledger/fabric-core/protos';
import type { peer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { BlockStore } from '../ledger';

/** System chaincodes: their ACLs are checked by the chaincode itself, not with peer/Propose. */
const SYSTEM_CHAINCODES = new Set(['qscc', 'cscc', 'lscc', '_lifecycle']);

/** What the checks before simulation read: the channel's MSPs and ACLs, and the committed txids. */
export interface ProposalCheckSupport {
  readonly config: Pick<ChannelConfig, 'msps' | 'aclPolicy' | 'evaluatePolicy'>;
  readonly blocks: Pick<BlockStore, 'txLocation'>;
}

/** A proposal the endorser refuses before simulation; Fabric returns it as a gRPC error. */
export class ProposalRejectedError extends Error {
  override readonly name = 'ProposalRejectedError';
}

function headerTypeName(type: number): string {
  const entry = Object.entries(common.HeaderType).find(([, value]) => value === type);
  return entry ? entry[0] : String(type);
}

/** Step 1: unpack, including the parts only the endorser insists on. */
export function unpackForEndorsement(signed: peer.SignedProposal): UnpackedProposal {
  let p: UnpackedProposal;
  try {
    p = unpackProposal(signed);
  } catch (err) {
    throw new ProposalRejectedError((err as Error).message);
  }
  if (p.headerChaincodeName === '') {
    throw new ProposalRejectedError('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
  }
  if (!p.invocationSpec.getChaincodeSpec()) {
    throw new ProposalRejectedError('chaincode invocation spec did not contain chaincode spec');
  }
  if (!p.input) throw new ProposalRejectedError('chaincode input did not contain any input');
  return p;
}

/** Steps 2–5 (Fabric wraps them as "error validating proposal: …"). */
function validateProposal(support: ProposalCheckSupport, p: UnpackedProposal): void {
  const type = p.channelHeader.getType();
  if (type !== common.HeaderType.ENDORSER_TRANSACTION && type !== common.HeaderType.CONFIG) {
    throw new Error(`invalid header type ${headerTypeName(type)}`);
  }
  if (p.channelHeader.getEpoch() !== 0) throw new Error('epoch is non-zero');
  if (p.nonce.length === 0) throw new Error('nonce is empty');
  if (p.creator.length === 0) throw new Error('creator is empty');
  const expected = computeTxId(p.nonce, p.creator);
  if (p.txId !== expected) throw new Error(`incorrectly computed txid '${p.txId}' -- expected '${expected}'`);
  if (p.proposalBytes.length === 0) throw new Error('empty proposal bytes');
  if (p.signature.length === 0) throw new Error('empty signature bytes');
  try {
    checkCreator(support.config.msps, p.channelId, p.creator, p.proposalBytes, p.signature);
  } catch (err) {
    if (err instanceof CreatorError) throw new Error(err.message);
    throw err;
  }
}

/** Steps 2–7 on an unpacked proposal; throws ProposalRejectedError with Fabric's text. */
export function preProcess(support: ProposalCheckSupport, p: UnpackedProposal): void {
  try {
    validateProposal(support, p);
  } catch (err) {
    throw new ProposalRejectedError(`error validating proposal: ${(err as Error).message}`);
  }
  if (support.blocks.txLocation(p.txId)) {
    throw new ProposalRejectedError(`duplicate transaction found [${p.txId}]. Creator [${Buffer.from(p.creator).toString('hex')}]`);
  }
  if (SYSTEM_CHAINCODES.has(p.headerChaincodeName)) return;
  const policy = support.config.aclPolicy('peer/Propose') ?? '/Channel/Application/Writers';
  const signed = { identity: p.creator, data: p.proposalBytes, signature: p.signature };
  const result = support.config.evaluatePolicy(policy, [signed]);
  if (!result.ok) {
    throw new ProposalRejectedError(
      `Failed evaluating policy on signed data during check policy on channel [${p.channelId}] with policy [${policy}]: [${result.message}]`,
    );
  }
}
