/**
 * The unsigned transaction envelope the gateway returns from Endorse, built
 * from the proposal's original header bytes and the common proposal response payload.
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { proposalPayloadWithoutTransient, type UnpackedProposal } from '@healthledger/fabric-core/protos';

/** Envelope{payload: Payload{header, data: Transaction}} with no signature (the client signs). */
export function transactionEnvelope(p: UnpackedProposal, prpBytes: Uint8Array, endorsements: readonly peer.Endorsement[]): common.Envelope {
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prpBytes);
  endorsed.setEndorsementsList([...endorsements]);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayloadWithoutTransient(p));
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(p.signatureHeaderBytes);
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const header = new common.Header();
  header.setChannelHeader(p.channelHeaderBytes);
  header.setSignatureHeader(p.signatureHeaderBytes);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}
