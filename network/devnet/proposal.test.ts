import { createHash } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { signedProposal } from './test/fixtures/probe-chaincode/harness';
import { ProposalFormatError, computeTxId, proposalHash, unpackProposal } from '@healthledger/fabric-core/protos';

describe('unpackProposal', () => {
  let identity: SigningIdentity;

  beforeAll(async () => {
    const ca = await CertificateAuthority.create('C=US, O=org1.example.com, CN=ca.org1.example.com');
    const issued = await ca.issue({ usage: 'identity', subject: 'C=US, OU=client, CN=User1@org1.example.com', attributes: {} });
    identity = createSigningIdentity('Org1MSP', issued.certPem, issued.keyPem);
  });

  it('keeps the signed byte fields and decodes every layer', () => {
    const signed = signedProposal(identity, { channelId: 'ch', chaincode: 'cc', args: ['fn', 'a'], transient: { t: 'secret' } });
    const p = unpackProposal(signed);
    const header = common.Header.deserializeBinary(peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8()).getHeader_asU8());
    expect(Buffer.from(p.channelHeaderBytes)).toEqual(Buffer.from(header.getChannelHeader_asU8()));
    expect(Buffer.from(p.signatureHeaderBytes)).toEqual(Buffer.from(header.getSignatureHeader_asU8()));
    expect([p.channelId, p.headerChaincodeName, p.specChaincodeName]).toEqual(['ch', 'cc', 'cc']);
    expect(p.txId).toBe(computeTxId(p.nonce, p.creator));
    expect(p.input?.getArgsList_asU8().map((a) => Buffer.from(a).toString())).toEqual(['fn', 'a']);
    expect(Buffer.from(p.transientMap.get('t') ?? []).toString()).toBe('secret');
    expect(Buffer.from(p.creator)).toEqual(Buffer.from(identity.serialized));
  });

  it('hashes channel header ‖ signature header ‖ payload without the transient map', () => {
    const signed = signedProposal(identity, { channelId: 'ch', chaincode: 'cc', args: ['fn'], transient: { t: 'secret' } });
    const p = unpackProposal(signed);
    const payload = new peer.ChaincodeProposalPayload();
    payload.setInput(p.invocationSpecBytes);
    const expected = createHash('sha256').update(p.channelHeaderBytes).update(p.signatureHeaderBytes).update(payload.serializeBinary()).digest();
    expect(proposalHash(p)).toEqual(expected);
    expect(Buffer.from(peer.ChaincodeProposalPayload.deserializeBinary(p.proposal.getPayload_asU8()).serializeBinary()).length).toBeGreaterThan(
      payload.serializeBinary().length,
    );
  });

  it('reports undecodable layers as ProposalFormatError', () => {
    const bad = new peer.SignedProposal();
    bad.setProposalBytes(Uint8Array.from([0xff, 0xff, 0xff]));
    expect(() => unpackProposal(bad)).toThrow(ProposalFormatError);
  });
});
