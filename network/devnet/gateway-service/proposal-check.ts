/**
 * The gateway's own unpacking of a proposal, for Evaluate and Endorse, with Fabric 2.5's texts:
 * Evaluate (`getChannelAndChaincodeFromSignedProposal`) answers every failure INVALID_ARGUMENT
 * "failed to unpack transaction proposal: …"; Endorse unmarshals each layer itself and answers a
 * layer it cannot unmarshal with that error's text alone ("error unmarshalling ChannelHeader: …").
 */
import * as grpc from '@grpc/grpc-js';
import type { peer } from '@hyperledger/fabric-protos';
import { ProposalFormatError, unpackProposal, type UnpackedProposal } from '@healthledger/fabric-core/protos';
import { GatewayServiceError } from './errors';
import type { SystemChaincode } from './support';

/** What Fabric's gateway refuses in a proposal that unmarshalled, or undefined. */
function contentFault(p: UnpackedProposal): string | undefined {
  if (p.channelId === '') return 'no channel id provided';
  const spec = p.invocationSpec.getChaincodeSpec();
  if (!spec) return 'no chaincode spec is provided';
  if (!spec.getChaincodeId()) return 'no chaincode id is provided';
  if (p.specChaincodeName === '') return 'no chaincode name is provided';
  return undefined;
}

function invalid(why: string): GatewayServiceError {
  return new GatewayServiceError(grpc.status.INVALID_ARGUMENT, why);
}

/** Unpacks every layer, or throws what `unreadable` makes of the first that cannot be unmarshalled. */
function unpacked(signed: peer.SignedProposal, unreadable: (why: string) => Error): UnpackedProposal {
  try {
    return unpackProposal(signed);
  } catch (err) {
    if (err instanceof ProposalFormatError) throw unreadable(err.message);
    throw err;
  }
}

/** Unpacks `signed` for Evaluate or throws INVALID_ARGUMENT "failed to unpack transaction proposal: …". */
export function unpackForGateway(signed: peer.SignedProposal | undefined): UnpackedProposal {
  const refuse = (why: string): GatewayServiceError => invalid(`failed to unpack transaction proposal: ${why}`);
  if (!signed) throw refuse('a signed proposal is required');
  const p = unpacked(signed, refuse);
  const fault = contentFault(p);
  if (fault !== undefined) throw refuse(fault);
  return p;
}

/**
 * Unpacks `signed` for Endorse or throws INVALID_ARGUMENT: no proposal bytes, and a layer that
 * cannot be unmarshalled, as Fabric's Endorse words them; the checks after unmarshalling as
 * Evaluate's.
 */
export function unpackForEndorse(signed: peer.SignedProposal | undefined): UnpackedProposal {
  if (!signed || signed.getProposalBytes_asU8().length === 0) throw invalid('the proposed transaction must contain a signed proposal');
  const p = unpacked(signed, invalid);
  const fault = contentFault(p);
  if (fault !== undefined) throw invalid(`failed to unpack transaction proposal: ${fault}`);
  return p;
}

/** Fabric's system chaincodes the gateway answers without a chaincode process. */
export function isSystemChaincode(name: string): name is SystemChaincode {
  return name === 'qscc' || name === 'cscc' || name === '_lifecycle';
}
