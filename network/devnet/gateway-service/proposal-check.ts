/**
 * The gateway's own unpacking of a proposal (Fabric's `getChannelAndChaincodeFromSignedProposal`),
 * shared by Evaluate and Endorse: failures are INVALID_ARGUMENT "failed to unpack transaction
 * proposal: …".
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

/** Unpacks `signed` or throws INVALID_ARGUMENT. */
export function unpackForGateway(signed: peer.SignedProposal | undefined): UnpackedProposal {
  const result = reason(signed);
  if (typeof result === 'string') {
    throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${result}`);
  }
  return result;
}

/** Fabric's system chaincodes the gateway answers without a chaincode process. */
export function isSystemChaincode(name: string): name is SystemChaincode {
  return name === 'qscc' || name === 'cscc' || name === '_lifecycle';
}
