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

function reason(signed: peer.SignedProposal | undefined): string | UnpackedProposal {
  if (!signed) return 'a signed proposal is required';
  let p: UnpackedProposal;
  try {
    p = unpackProposal(signed);
  } catch (err) {
    if (err instanceof ProposalFormatError) return err.message;
    throw err;
  }
  if (p.channelId === '') return 'no channel id provided';
  const spec = p.invocationSpec.getChaincodeSpec();
  if (!spec) return 'no chaincode spec is provided';
  if (!spec.getChaincodeId()) return 'no chaincode id is provided';
  if (p.specChaincodeName === '') return 'no chaincode name is provided';
  return p;
}

/** Unpacks `signed` for Evaluate or throws INVALID_ARGUMENT. */
export function unpackForGateway(signed: peer.SignedProposal | undefined): UnpackedProposal {
  const result = reason(signed);
  if (typeof result === 'string') {
    throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${result}`);
  }
  return result;
}

/**
 * Unpacks `signed` for Endorse or throws INVALID_ARGUMENT: no proposal bytes, and a layer that
 * cannot be unmarshalled, as Fabric's Endorse words them; the checks after unmarshalling as
 * Evaluate's.
 */
export function unpackForEndorse(signed: peer.SignedProposal | undefined): UnpackedProposal {
  if (!signed || signed.getProposalBytes_asU8().length === 0) {
    throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, 'the proposed transaction must contain a signed proposal');
  }
  try {
    unpackProposal(signed);
  } catch (err) {
    if (err instanceof ProposalFormatError) throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, err.message);
    throw err;
  }
  return unpackForGateway(signed);
}

/** Fabric's system chaincodes the gateway answers without a chaincode process. */
export function isSystemChaincode(name: string): name is SystemChaincode {
  return name === 'qscc' || name === 'cscc' || name === '_lifecycle';
}
