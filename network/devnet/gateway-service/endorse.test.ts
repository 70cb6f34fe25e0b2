/**
 * Endorse through the real fabric-gateway client against the real PeerServer, two simulated
 * peers and the probe chaincode: endorsement planning (chaincode, key-level and collection
 * policies), payload comparison, Fabric's error codes/texts/details, duplicate transactions.
 */
import { createHash } from 'node:crypto';
import { EndorseError, GatewayError, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { common, gateway, ledger as protos, msp, peer } from '@hyperledger/fabric-protos';
import { buildBlock } from '../orderer';
import { parsePolicy } from '@healthledger/fabric-core/policy';
import { connectFirstUser, startProbeNetwork, TEST_CHANNEL, type ProbeNetwork } from '../test/fixtures/probe-chaincode/network';

interface Endorsed {
  endorsers: string[];
  prpBytes: Uint8Array;
  endorsements: peer.Endorsement[];
  rwset: protos.rwset.TxReadWriteSet;
  envelope: common.Envelope;
}

/** Takes the prepared transaction apart the way the committer will. */
function decode(preparedBytes: Uint8Array): Endorsed {
  const envelope = gateway.PreparedTransaction.deserializeBinary(preparedBytes).getEnvelope() as common.Envelope;
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0]?.getPayload_asU8() as Uint8Array);
  const endorsed = actionPayload.getAction() as peer.ChaincodeEndorsedAction;
  const prpBytes = endorsed.getProposalResponsePayload_asU8();
  const action = peer.ChaincodeAction.deserializeBinary(peer.ProposalResponsePayload.deserializeBinary(prpBytes).getExtension_asU8());
  const endorsements = endorsed.getEndorsementsList();
  return {
    endorsers: endorsements.map(mspOf),
    prpBytes,
    endorsements,
    rwset: protos.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8()),
    envelope,
  };
}

function mspOf(endorsement: peer.Endorsement): string {
  return msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid();
}

describe('Endorse', () => {
  let env: ProbeNetwork;
  let gw: Gateway;
  let contract: Contract;

  beforeAll(async () => {
    env = await startProbeNetwork();
    ({ gateway: gw, contract } = connectFirstUser(env));
  }, 60_000);

  afterAll(async () => {
    gw.close();
    await env.close();
  });

  async function failure<T extends GatewayError>(call: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof type)) throw new Error(`expected ${type.name}, got ${String(err)}`);
    return err;
  }

  it('collects both orgs for the chaincode policy; endorsements verify and satisfy it', async () => {
    const proposal = contract.newProposal('incr', { arguments: ['counter'] });
    const tx = await proposal.endorse();
    expect(Buffer.from(tx.getResult()).toString()).toBe('1');
    const endorsed = decode(tx.getBytes());
    expect(endorsed.endorsements.map(mspOf)).toEqual(['Org1MSP', 'Org2MSP']);
    const signed = endorsed.endorsements.map((e) => ({
      identity: e.getEndorser_asU8(),
      data: Buffer.concat([endorsed.prpBytes, e.getEndorser_asU8()]),
      signature: e.getSignature_asU8(),
    }));
    const policy = env.net.chaincodes.get('probe')?.endorsementPolicy as peer.ApplicationPolicy;
    expect(env.config.evaluateApplicationPolicy(policy, signed)).toEqual({ ok: true });
    expect(endorsed.rwset.getNsRwsetList().map((ns) => ns.getNamespace())).toEqual(['_lifecycle', 'probe']);
    // The transaction reuses the proposal's header bytes exactly (never re-serialized).
    const signedProposal = gateway.ProposedTransaction.deserializeBinary(proposal.getBytes()).getProposal() as peer.SignedProposal;
    const proposalHeader = common.Header.deserializeBinary(peer.Proposal.deserializeBinary(signedProposal.getProposalBytes_asU8()).getHeader_asU8());
    const txHeader = common.Payload.deserializeBinary(endorsed.envelope.getPayload_asU8()).getHeader() as common.Header;
    expect(Buffer.from(txHeader.getChannelHeader_asU8())).toEqual(Buffer.from(proposalHeader.getChannelHeader_asU8()));
    expect(Buffer.from(txHeader.getSignatureHeader_asU8())).toEqual(Buffer.from(proposalHeader.getSignatureHeader_asU8()));
  });

  it('a contract error fails the first endorsement: ABORTED with the local peer detail', async () => {
    const err = await failure(contract.submitTransaction('fail', 'boom'), EndorseError);
    expect([err.code, err.message]).toEqual([10, '10 ABORTED: failed to endorse transaction, see attached details for more info']);
    expect(err.details.map((d) => [d.mspId, d.message])).toEqual([['Org1MSP', 'chaincode response 500, boom']]);
    const listed = await failure(contract.newProposal('fail', { arguments: ['boom'], endorsingOrganizations: ['Org1MSP'] }).endorse(), EndorseError);
    expect(listed.message).toBe('10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info');
  });

  it('reports non-deterministic results as "ProposalResponsePayloads do not match" on the later peer', async () => {
    const err = await failure(contract.newProposal('random', { arguments: ['r'] }).endorse(), EndorseError);
    expect(err.message).toBe('10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info');
    expect(err.details.map((d) => [d.mspId, d.message])).toEqual([['Org2MSP', 'ProposalResponsePayloads do not match']]);
  });

  it('refuses unknown orgs and system chaincodes at planning', async () => {
    const org9 = await failure(contract.newProposal('echo', { arguments: ['x'], endorsingOrganizations: ['Org9MSP'] }).endorse(), EndorseError);
    expect([org9.code, org9.message]).toEqual([14, '14 UNAVAILABLE: failed to find any endorsing peers for org(s): Org9MSP']);
    const qscc = await failure(gw.getNetwork(TEST_CHANNEL).getContract('qscc').newProposal('GetChainInfo', { arguments: [TEST_CHANNEL] }).endorse(), EndorseError);
    expect([qscc.code, qscc.message]).toEqual([
      9,
      `9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode qscc in channel ${TEST_CHANNEL}`,
    ]);
  });

  it('a key-level policy naming Org2 replaces the chaincode policy: only Org2 endorses', async () => {
    const version = { blockNum: 0n, txNum: 0 };
    env.ledger.state.applyPut('probe', 'sbe', Buffer.from('x'), version);
    const policy = Buffer.from(parsePolicy("OR('Org2MSP.peer')").serializeBinary());
    env.ledger.state.applyMetadata('probe', 'sbe', [{ name: 'VALIDATION_PARAMETER', value: policy }], version);
    const tx = await contract.newProposal('put', { arguments: ['sbe', 'y'] }).endorse();
    expect(decode(tx.getBytes()).endorsements.map(mspOf)).toEqual(['Org2MSP']);
  });

  it('a key-level policy on a private key applies to its hashed write', async () => {
    const version = { blockNum: 0n, txNum: 0 };
    const keyHash = createHash('sha256').update('guarded').digest();
    env.ledger.state.applyHashedPut('probe', '_implicit_org_Org1MSP', keyHash, createHash('sha256').update('v').digest(), version);
    const policy = Buffer.from(parsePolicy("OR('Org2MSP.peer')").serializeBinary());
    env.ledger.state.applyHashedMetadata('probe', '_implicit_org_Org1MSP', keyHash, [{ name: 'VALIDATION_PARAMETER', value: policy }], version);
    const tx = await contract.newProposal('putPrivate', { arguments: ['_implicit_org_Org1MSP', 'guarded'], transientData: { value: 'w' } }).endorse();
    expect(decode(tx.getBytes()).endorsements.map(mspOf)).toEqual(['Org2MSP']);
  });

  it('an implicit-collection write needs only that org, and its private data goes to that org only', async () => {
    const tx = await contract.newProposal('putPrivate', { arguments: ['_implicit_org_Org1MSP', 'pk'], transientData: { value: 'secret' } }).endorse();
    expect(decode(tx.getBytes()).endorsements.map(mspOf)).toEqual(['Org1MSP']);
    expect(env.net.transientStore.peek(tx.getTransactionId(), 'Org1MSP')).toBeDefined();
    expect(env.net.transientStore.peek(tx.getTransactionId(), 'Org2MSP')).toBeUndefined();
    expect(Buffer.from(tx.getBytes()).includes(Buffer.from('secret'))).toBe(false);
  });

  it('rejects a transaction id that is already on the ledger, for endorse and evaluate', async () => {
    const proposal = contract.newProposal('echo', { arguments: ['once'] });
    const tx = await proposal.endorse();
    const envelope = gateway.PreparedTransaction.deserializeBinary(tx.getBytes()).getEnvelope() as common.Envelope;
    const block = buildBlock({
      number: env.ledger.blocks.height,
      previousHash: env.ledger.blocks.currentHash(),
      envelopes: [envelope.serializeBinary()],
      signer: env.material.orderer.identity,
    });
    const metadata = block.getMetadata() as common.BlockMetadata;
    const slots = metadata.getMetadataList_asU8();
    slots[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from([0]);
    metadata.setMetadataList(slots);
    await env.ledger.commitBlock(block);
    const creator = env.material.orgs[0]?.users[0]?.identity.serialized as Uint8Array;
    const expected = `duplicate transaction found [${tx.getTransactionId()}]. Creator [${Buffer.from(creator).toString('hex')}]`;
    const again = await failure(proposal.endorse(), EndorseError);
    expect([again.code, again.details.map((d) => d.message)]).toEqual([10, [expected]]);
    const evaluated = await failure(proposal.evaluate(), GatewayError);
    expect([evaluated.code, evaluated.message]).toEqual([9, `9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${expected}`]);
  });
});
