/**
 * The endorsement result of spec §7: `ChaincodeAction` → `ProposalResponsePayload` (prpBytes) →
 * `Endorsement` signed by the peer over prpBytes ‖ endorser.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { SigningIdentity } from '../pki';

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

/** The peer's endorsement of `prpBytes`: signature over prpBytes ‖ serialized endorser (low-S). */
export function endorse(identity: SigningIdentity, prpBytes: Uint8Array): peer.Endorsement {
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(identity.serialized);
  endorsement.setSignature(identity.sign(Buffer.concat([prpBytes, identity.serialized])));
  return endorsement;
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
