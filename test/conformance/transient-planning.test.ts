/**
 * Conformance (docs/design/fabric-conformance.md m): how the gateway plans endorsement when a proposal carries
 * transient data. The first endorser is a peer of the gateway's own organisation; further
 * endorsers may only come from organisations that are members of every collection the chaincode
 * touched, so transient data never reaches a non-member peer unless the client names that
 * organisation itself. Chaincode policy here: both organisations.
 *
 * Where a proposal went is read from each peer's `endorser_proposals_received` counter, which a
 * Fabric peer exports on its operations endpoint and the devnet keeps per simulated peer.
 */
import { EndorseError, type Contract } from '@hyperledger/fabric-gateway';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, type ConformanceNetwork } from './harness';

const ORG1_COLLECTION = '_implicit_org_Org1MSP';

let net: ConformanceNetwork;
let probe1: Contract;

beforeAll(async () => {
  net = await startNetwork();
  probe1 = net.gateway('Org1MSP').getNetwork(CHANNEL).getContract(CHAINCODE);
});

afterAll(async () => {
  await net?.stop();
});

function proposalsReceived(mspId: string): Promise<number> {
  return net.proposalsReceived(mspId);
}

async function publicValue(key: string): Promise<string> {
  return text(await probe1.evaluateTransaction('get', key));
}

describe('transient data and the endorsement plan', () => {
  it('refuses to plan beyond the collection members: FAILED_PRECONDITION naming the collection, Org2 receives nothing, nothing is ordered', async () => {
    const key = unique('tp');
    const before = await proposalsReceived('Org2MSP');
    const failure = await probe1
      .submit('putPublicAndPrivate', { arguments: [ORG1_COLLECTION, key], transientData: { value: 'PHI-transient' } })
      .then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(EndorseError);
    const error = failure as EndorseError;
    expect(error.code).toBe(9);
    expect(error.message).toBe(
      '9 FAILED_PRECONDITION: requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [_implicit_org_Org1MSP]; retry specifying trusted endorsing organizations to protect transient data',
    );
    expect(await proposalsReceived('Org2MSP')).toBe(before);
    expect(await publicValue(key)).toBe('');
  });

  it('sends the transient data to an organisation the client names itself', async () => {
    const key = unique('tp');
    const before = await proposalsReceived('Org2MSP');
    const commit = await probe1.submitAsync('putPublicAndPrivate', {
      arguments: [ORG1_COLLECTION, key],
      transientData: { value: 'v' },
      endorsingOrganizations: ['Org1MSP', 'Org2MSP'],
    });
    expect((await commit.getStatus()).code).toBe(0);
    expect(await proposalsReceived('Org2MSP')).toBe(before + 1);
    expect(await publicValue(key)).toBe('public marker');
  });

  it('plans a private-only write from the collection policy alone: the member endorses, Org2 receives nothing', async () => {
    const key = unique('tp');
    const before = await proposalsReceived('Org2MSP');
    const commit = await probe1.submitAsync('putPrivate', { arguments: [ORG1_COLLECTION, key], transientData: { value: 'PHI-transient' } });
    expect((await commit.getStatus()).code).toBe(0);
    expect(await proposalsReceived('Org2MSP')).toBe(before);
  });

  it('without transient data the same writes are planned across both organisations (control)', async () => {
    const key = unique('tp');
    const before = await proposalsReceived('Org2MSP');
    const commit = await probe1.submitAsync('put', { arguments: [key, 'public'] });
    expect((await commit.getStatus()).code).toBe(0);
    expect(await proposalsReceived('Org2MSP')).toBe(before + 1);
  });

  it('a public write whose key policy names Org1 alone, with transient data, is endorsed by Org1 alone', async () => {
    const key = unique('tp');
    // A key-level policy is metadata of an existing key: write the key, then its policy.
    expect((await (await probe1.submitAsync('put', { arguments: [key, 'v0'] })).getStatus()).code).toBe(0);
    expect((await (await probe1.submitAsync('setKeyPolicy', { arguments: [key, 'Org1MSP'] })).getStatus()).code).toBe(0);
    const before = await proposalsReceived('Org2MSP');
    const commit = await probe1.submitAsync('putPublicAndPrivate', { arguments: [ORG1_COLLECTION, key], transientData: { value: 'PHI-transient' } });
    expect((await commit.getStatus()).code).toBe(0);
    expect(await proposalsReceived('Org2MSP')).toBe(before);
  });
});
