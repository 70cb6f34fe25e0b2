/**
 * Runs a chaincode for one transaction on one peer (Fabric's `ChaincodeSupport.Execute`): sends
 * TRANSACTION with the client's signed proposal over the peer's own stream, serves the
 * chaincode's requests, and turns the outcome into a Response and event.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { TransactionContext } from './context';
import { ChaincodeExecuteError, ChaincodeLaunchError } from './errors';
import { TransactionHandler } from './handler';

const Type = peer.ChaincodeMessage.Type;

/** Execution failed before the chaincode answered; the message is Fabric's, minus "error in simulation: ". */
export class ChaincodeExecutionFailure extends Error {
  override readonly name = 'ChaincodeExecutionFailure';
}

/** A chaincode's answer to a transaction. */
export interface ChaincodeResult {
  response: peer.Response;
  /** The event it set, with `chaincode_id` and `tx_id` filled in by the peer. */
  event: peer.ChaincodeEvent | undefined;
}

function transactionMessage(ctx: TransactionContext, input: peer.ChaincodeInput): peer.ChaincodeMessage {
  const message = new peer.ChaincodeMessage();
  message.setType(ctx.isInit ? Type.INIT : Type.TRANSACTION);
  message.setPayload(input.serializeBinary());
  message.setTxid(ctx.txId);
  message.setChannelId(ctx.channelId);
  // Mandatory for contract-api chaincode: creator, transient map and timestamp come from it.
  message.setProposal(ctx.proposal.signedProposal);
  return message;
}

/**
 * Sends the transaction to chaincode `name` and returns the raw COMPLETED/ERROR message (what
 * a calling chaincode receives). Launch and transport failures throw ChaincodeExecutionFailure.
 */
export async function executeRaw(ctx: TransactionContext, name: string, input: peer.ChaincodeInput): Promise<peer.ChaincodeMessage> {
  const def = ctx.support.chaincodes.get(name);
  if (!def) throw new ChaincodeExecutionFailure(`chaincode definition for '${name}' not found`);
  ctx.simulator.lookUpDefinition(name, def.definitionVersion);
  const handler = new TransactionHandler(ctx, name, (spec) => invokeChaincode(ctx, spec));
  try {
    return await ctx.peer.chaincode(name).execute(transactionMessage(ctx, input), (request) => handler.handle(request));
  } catch (err) {
    if (err instanceof ChaincodeLaunchError) {
      throw new ChaincodeExecutionFailure(`failed to execute transaction ${ctx.txId}: ${err.message}`);
    }
    if (err instanceof ChaincodeExecuteError) {
      throw new ChaincodeExecutionFailure(`failed to execute transaction ${ctx.txId}: error sending: ${err.message}`);
    }
    throw err;
  } finally {
    handler.finish();
  }
}

/** Executes and interprets the answer: COMPLETED → Response (+ event), ERROR → failure. */
export async function executeChaincode(ctx: TransactionContext, name: string, input: peer.ChaincodeInput): Promise<ChaincodeResult> {
  const message = await executeRaw(ctx, name, input);
  const event = message.getChaincodeEvent();
  if (event) {
    event.setChaincodeId(name);
    event.setTxId(ctx.txId);
  }
  if (message.getType() === Type.COMPLETED) {
    return { response: peer.Response.deserializeBinary(message.getPayload_asU8()), event };
  }
  if (message.getType() === Type.ERROR) {
    throw new ChaincodeExecutionFailure(`transaction returned with failure: ${Buffer.from(message.getPayload_asU8()).toString()}`);
  }
  throw new ChaincodeExecutionFailure(`unexpected response type ${message.getType()} for transaction ${ctx.txId}`);
}

/** `name[:version][/channel]` as Fabric parses a chaincode-to-chaincode target. */
export function parseChaincodeTarget(target: string): { name: string; channel: string } {
  const slash = target.indexOf('/');
  const nameVersion = slash >= 0 ? target.slice(0, slash) : target;
  const channel = slash >= 0 ? target.slice(slash + 1) : '';
  const colon = nameVersion.indexOf(':');
  return { name: colon >= 0 ? nameVersion.slice(0, colon) : nameVersion, channel };
}

/**
 * INVOKE_CHAINCODE on the same channel: the callee runs with the same txid, proposal and
 * simulator; its writes land in its own namespace, its event is dropped.
 */
async function invokeChaincode(ctx: TransactionContext, spec: peer.ChaincodeSpec): Promise<peer.ChaincodeMessage> {
  const target = parseChaincodeTarget(spec.getChaincodeId()?.getName() ?? '');
  if (target.channel !== '' && target.channel !== ctx.channelId) {
    throw new ChaincodeExecutionFailure(`failed to find ledger for channel: ${target.channel}`);
  }
  const acl = ctx.support.config.aclPolicy('peer/ChaincodeToChaincode') ?? '/Channel/Application/Writers';
  const signed = { identity: ctx.proposal.creator, data: ctx.proposal.proposalBytes, signature: ctx.proposal.signature };
  const allowed = ctx.support.config.evaluatePolicy(acl, [signed]);
  if (!allowed.ok) {
    throw new ChaincodeExecutionFailure(
      `Failed evaluating policy on signed data during check policy on channel [${ctx.channelId}] with policy [${acl}]: [${allowed.message}]`,
    );
  }
  try {
    const reply = await executeRaw(ctx, target.name, spec.getInput() ?? new peer.ChaincodeInput());
    reply.clearChaincodeEvent();
    return reply;
  } catch (err) {
    throw new ChaincodeExecutionFailure(`execute failed: ${(err as Error).message}`);
  }
}
