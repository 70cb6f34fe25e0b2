import type { Identity } from '@hyperledger/fabric-gateway';
import { gateway as gw, msp } from '@hyperledger/fabric-protos';
import { CHANNEL } from './consortium';

/**
 * An unsigned SignedCommitStatusRequest for `txId` as `identity` (Gateway.newCommit signs it): how
 * a client asks a peer about a transaction it did not submit through that peer's gateway.
 */
export function commitStatusRequest(identity: Identity, txId: string): Uint8Array {
  const creator = new msp.SerializedIdentity();
  creator.setMspid(identity.mspId);
  creator.setIdBytes(identity.credentials);
  const request = new gw.CommitStatusRequest();
  request.setTransactionId(txId);
  request.setChannelId(CHANNEL);
  request.setIdentity(creator.serializeBinary());
  const signed = new gw.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  return signed.serializeBinary();
}
