import { createHash } from 'node:crypto';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { NONCE_BYTES, newNonce, rewriteProposal, transactionIdOf, transientViews, withNonce } from './fixed-txid';

const CREATOR = Buffer.from('serialized identity of clinician1');

/** An unsigned ProposedTransaction as fabric-gateway builds one (random nonce, its txId). */
function unsignedProposal(nonce: Uint8Array, signature = new Uint8Array()): Uint8Array {
  const txId = transactionIdOf(nonce, CREATOR);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('healthchannel');
  channelHeader.setTxId(txId);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(CREATOR);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(Buffer.from('chaincode input and transient data'));
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(signature);
  const proposed = new gateway.ProposedTransaction();
  proposed.setProposal(signed);
  proposed.setTransactionId(txId);
  proposed.setEndorsingOrganizationsList(['Hospital1MSP']);
  return proposed.serializeBinary();
}

function decode(bytes: Uint8Array) {
  const proposed = gateway.ProposedTransaction.deserializeBinary(bytes);
  const proposal = peer.Proposal.deserializeBinary(proposed.getProposal()?.getProposalBytes_asU8() ?? new Uint8Array());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  return {
    wrapperTxId: proposed.getTransactionId(),
    endorsingOrgs: proposed.getEndorsingOrganizationsList(),
    channelTxId: common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId(),
    nonce: Buffer.from(common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getNonce_asU8()).toString('hex'),
    creator: Buffer.from(common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8()).toString(),
    payload: Buffer.from(proposal.getPayload_asU8()).toString(),
  };
}

test("Fabric's transaction id is SHA-256 of nonce and creator", () => {
  const nonce = newNonce();
  expect(nonce).toHaveLength(NONCE_BYTES);
  expect(transactionIdOf(nonce, CREATOR)).toBe(createHash('sha256').update(Buffer.concat([nonce, CREATOR])).digest('hex'));
});

test('withNonce carries the chosen nonce and its transaction id everywhere, the rest untouched', () => {
  const chosen = newNonce();
  const { bytes, txId } = withNonce(unsignedProposal(newNonce()), chosen);
  expect(txId).toBe(transactionIdOf(chosen, CREATOR));
  expect(decode(bytes)).toEqual({
    wrapperTxId: txId,
    endorsingOrgs: ['Hospital1MSP'],
    channelTxId: txId,
    nonce: Buffer.from(chosen).toString('hex'),
    creator: CREATOR.toString(),
    payload: 'chaincode input and transient data',
  });
});

test('the same nonce gives the same transaction id on every rebuild', () => {
  const chosen = newNonce();
  expect(withNonce(unsignedProposal(newNonce()), chosen).txId).toBe(withNonce(unsignedProposal(newNonce()), chosen).txId);
});

test('a signed proposal is refused: its signature would no longer match', () => {
  expect(() => withNonce(unsignedProposal(newNonce(), Buffer.from('signature')), newNonce())).toThrow(/signed/);
});

test('withNonce writes the same bytes as the generated serializers would, with and without endorsing organisations', () => {
  for (const orgs of [['Hospital1MSP', 'Hospital2MSP'], []]) {
    const original = gateway.ProposedTransaction.deserializeBinary(unsignedProposal(newNonce()));
    original.setEndorsingOrganizationsList(orgs);
    const chosen = newNonce();
    const { bytes, txId } = withNonce(original.serializeBinary(), chosen);
    // The rewrite as fabric-protos' messages do it: each level serialised on its own.
    const expected = gateway.ProposedTransaction.deserializeBinary(original.serializeBinary());
    const signed = expected.getProposal() ?? new peer.SignedProposal();
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    signatureHeader.setNonce(chosen);
    channelHeader.setTxId(txId);
    header.setSignatureHeader(signatureHeader.serializeBinary());
    header.setChannelHeader(channelHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    signed.setProposalBytes(proposal.serializeBinary());
    expected.setProposal(signed);
    expected.setTransactionId(txId);
    expect(Buffer.from(bytes).equals(Buffer.from(expected.serializeBinary()))).toBe(true);
  }
});

/** A ProposedTransaction as fabric-gateway's ProposalBuilder writes one: each level serialised on its own. */
function builtProposal(nonce: Uint8Array, transient: Record<string, Uint8Array>): Uint8Array {
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(Buffer.from('chaincode invocation spec'));
  for (const [key, value] of Object.entries(transient)) payload.getTransientmapMap().set(key, value);
  const proposed = gateway.ProposedTransaction.deserializeBinary(unsignedProposal(nonce));
  const signed = proposed.getProposal() ?? new peer.SignedProposal();
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  proposal.setPayload(payload.serializeBinary());
  signed.setProposalBytes(proposal.serializeBinary());
  proposed.setProposal(signed);
  return proposed.serializeBinary();
}

test('rewriteProposal puts transient data in as the builder would have: the same bytes, with or without a new nonce', () => {
  const nonce = newNonce();
  const transient = { content: Buffer.from('%PDF-1.7 record content'), salt: Buffer.from('0f1e2d') };
  const draft = builtProposal(nonce, {});
  expect(Buffer.from(rewriteProposal(draft, { transient }).bytes).equals(Buffer.from(builtProposal(nonce, transient)))).toBe(true);
  expect(rewriteProposal(draft, { transient }).txId).toBe(transactionIdOf(nonce, CREATOR));
  const chosen = newNonce();
  const rewritten = rewriteProposal(draft, { nonce: chosen, transient });
  expect(Buffer.from(rewritten.bytes).equals(Buffer.from(withNonce(builtProposal(nonce, transient), chosen).bytes))).toBe(true);
  // Text is sent as its UTF-8 bytes, as fabric-gateway sends it.
  expect(Buffer.from(rewriteProposal(draft, { transient: { detail: 'é' } }).bytes).equals(Buffer.from(builtProposal(nonce, { detail: Buffer.from('é') })))).toBe(true);
});

test('transientViews reads the transient values out of a written proposal as views into its bytes, not copies', () => {
  const content = Buffer.alloc(64 * 1024, 7);
  const { bytes } = rewriteProposal(builtProposal(newNonce(), {}), { transient: { content, salt: '0f1e2d' } });
  const views = transientViews(bytes);
  expect([...views.keys()].sort()).toEqual(['content', 'salt']);
  const view = views.get('content') as Uint8Array;
  expect(Buffer.from(view).equals(content)).toBe(true);
  expect(view.buffer).toBe(bytes.buffer); // the proposal's own bytes
  expect(Buffer.from(views.get('salt') as Uint8Array).toString()).toBe('0f1e2d');
  expect(transientViews(builtProposal(newNonce(), {})).size).toBe(0);
});
