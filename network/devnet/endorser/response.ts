/**
 * The endorsement result: `ChaincodeAction` → `ProposalResponsePayload` (prpBytes) →
 * `Endorsement` signed by the peer over prpBytes ‖ endorser.
 */
import { peer } from '@hyperledger/fabric-protos';
import { MspError, type MspManager } from '@healthledger/fabric-core/msp';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';

/** What the simulation produced, ready to be serialized. */
export interface ActionParts {
  proposalHash: Uint8Array;
  /** Serialized TxReadWriteSet; empty for failed simulations. */
  results: Uint8Array;
  event: peer.ChaincodeEvent | undefined;
  response: peer.Response;
  chaincodeName: string;
  chaincodeVersion: string;
}

/** `bytes(ProposalResponsePayload{proposal_hash, extension: bytes(ChaincodeAction)})`. */
export function proposalResponsePayload(parts: ActionParts): Uint8Array {
  const ccId = new peer.ChaincodeID();
  ccId.setName(parts.chaincodeName);
  ccId.setVersion(parts.chaincodeVersion);
  const action = new peer.ChaincodeAction();
  action.setResults(parts.results);
  if (parts.event) action.setEvents(parts.event.serializeBinary());
  action.setResponse(parts.response);
  action.setChaincodeId(ccId);
  const payload = new peer.ProposalResponsePayload();
  payload.setProposalHash(parts.proposalHash);
  payload.setExtension$(action.serializeBinary());
  return payload.serializeBinary();
}

/**
 * The peer's endorsement of `prpBytes`: signature over prpBytes ‖ serialized endorser (low-S).
 * With `msps`, the signature is recorded as verified for the channel's view of the peer's
 * identity: the committer checks it like any other, but need not redo the ECDSA verification of a
 * signature this process just made (a tampered one misses the record and is verified).
 */
export function endorse(identity: SigningIdentity, prpBytes: Uint8Array, msps?: MspManager): peer.Endorsement {
  const message = Buffer.concat([prpBytes, identity.serialized]);
  const signature = identity.sign(message);
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(identity.serialized);
  endorsement.setSignature(signature);
  if (msps) vouch(msps, identity, message, signature);
  return endorsement;
}

function vouch(msps: MspManager, identity: SigningIdentity, message: Uint8Array, signature: Uint8Array): void {
  try {
    msps.deserialize(identity.serialized).vouch(message, signature, identity.privateKey);
  } catch (err) {
    // A peer the channel does not know: its endorsement fails at commit, unverified or not.
    if (!(err instanceof MspError)) throw err;
  }
}

/** A ProposalResponse carrying only a status and message (failures before or during simulation). */
export function failureResponse(message: string, status = 500): peer.ProposalResponse {
  const res = new peer.Response();
  res.setStatus(status);
  res.setMessage(message);
  const response = new peer.ProposalResponse();
  response.setResponse(res);
  return response;
}
