/**
 * One peer's endorser on real signed proposals: Fabric's pre-simulation checks and texts, the
 * endorsement itself (proposal hash, low-S signature over prpBytes ‖ endorser).
 */
import { createPublicKey } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import { verifySignature } from '@healthledger/fabric-core/crypto';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { proposalHash, unpackProposal } from '@healthledger/fabric-core/protos';
import { endorserSupport, type PeerRuntime } from '../peer';
import { signedProposal } from '../test/fixtures/probe-chaincode/harness';
import { startProbeNetwork, TEST_CHANNEL, type ProbeNetwork } from '../test/fixtures/probe-chaincode/network';
import { processProposal, type EndorserSupport } from './endorser';

describe('processProposal', () => {
  let env: ProbeNetwork;
  let user: SigningIdentity;
  let org1Peer: PeerRuntime;
  let support: EndorserSupport;

  beforeAll(async () => {
    env = await startProbeNetwork();
    user = env.material.orgs[0]?.users[0]?.identity as SigningIdentity;
    org1Peer = env.peers[0] as PeerRuntime;
    support = endorserSupport(env.net);
  }, 60_000);

  afterAll(() => env.close());

  const propose = (identity: SigningIdentity, args: string[], chaincode = 'probe') => signedProposal(identity, { channelId: TEST_CHANNEL, chaincode, args });

  it('endorses: payload binds the proposal hash, signature verifies over prpBytes ‖ endorser', async () => {
    const signed = propose(user, ['echo', 'hi']);
    const { response, rejection } = await processProposal(support, org1Peer, signed);
    expect(rejection).toBeUndefined();
    expect([response.getVersion(), response.getResponse()?.getStatus()]).toEqual([1, 200]);
    const prp = peer.ProposalResponsePayload.deserializeBinary(response.getPayload_asU8());
    expect(Buffer.from(prp.getProposalHash_asU8())).toEqual(proposalHash(unpackProposal(signed)));
    const action = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    expect([action.getChaincodeId()?.getName(), action.getChaincodeId()?.getVersion()]).toEqual(['probe', '1.0']);
    expect(Buffer.from(action.getResponse()?.getPayload_asU8() ?? []).toString()).toBe('hi');
    const endorsement = response.getEndorsement() as peer.Endorsement;
    expect(Buffer.from(endorsement.getEndorser_asU8())).toEqual(Buffer.from(org1Peer.identity.serialized));
    const publicKey = createPublicKey(org1Peer.identity.certPem);
    expect(() => verifySignature(publicKey, Buffer.concat([response.getPayload_asU8(), endorsement.getEndorser_asU8()]), endorsement.getSignature_asU8())).not.toThrow();
  });

  it('rejects a wrongly computed txid', async () => {
    const signed = propose(user, ['echo', 'x']);
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    channelHeader.setTxId('abc');
    header.setChannelHeader(channelHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    signed.setProposalBytes(proposal.serializeBinary());
    signed.setSignature(user.sign(signed.getProposalBytes_asU8()));
    const { rejection, response } = await processProposal(support, org1Peer, signed);
    expect(rejection).toMatch(/^error validating proposal: incorrectly computed txid 'abc' -- expected '[0-9a-f]{64}'$/);
    expect([response.getResponse()?.getStatus(), response.getResponse()?.getMessage()]).toEqual([500, rejection]);
  });

  it('tells an unknown creator org from a known org with a bad signature', async () => {
    const rogueCa = await CertificateAuthority.create('C=US, O=org1.example.com, CN=ca.org1.example.com');
    const rogue = await rogueCa.issue({ usage: 'identity', subject: 'C=US, OU=client, CN=User1@org1.example.com', attributes: {} });
    const foreign = await processProposal(support, org1Peer, propose(createSigningIdentity('Org1MSP', rogue.certPem, rogue.keyPem), ['echo', 'x']));
    expect(foreign.rejection).toBe(`error validating proposal: access denied: channel [${TEST_CHANNEL}] creator org unknown, creator is malformed`);
    const wrongKey = createSigningIdentity('Org1MSP', user.certPem, rogue.keyPem);
    const badSig = await processProposal(support, org1Peer, propose(wrongKey, ['echo', 'x']));
    expect(badSig.rejection).toBe(`error validating proposal: access denied: channel [${TEST_CHANNEL}] creator org [Org1MSP]`);
  });

  it('an undefined chaincode is a simulation failure (no rejection, no payload)', async () => {
    const { response, rejection } = await processProposal(support, org1Peer, propose(user, ['x'], 'nosuch'));
    expect(rejection).toBeUndefined();
    expect(response.getResponse()?.getMessage()).toBe(
      `make sure the chaincode nosuch has been successfully defined on channel ${TEST_CHANNEL} and try again: chaincode nosuch not found`,
    );
    expect(response.getPayload_asU8().length).toBe(0);
  });

  it('a contract error keeps the payload but is not endorsed', async () => {
    const { response } = await processProposal(support, org1Peer, propose(user, ['fail', 'nope']));
    expect([response.getResponse()?.getStatus(), response.getResponse()?.getMessage()]).toEqual([500, 'nope']);
    expect(response.getPayload_asU8().length).toBeGreaterThan(0);
    expect(response.getEndorsement()).toBeUndefined();
  });
});
