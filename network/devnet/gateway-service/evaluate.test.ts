/**
 * Evaluate through the real fabric-gateway client against the real PeerServer, two simulated
 * peers and the probe chaincode: results, Fabric's error codes/texts/details, qscc routing.
 */
import { connect, GatewayError, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { CertificateAuthority } from '@healthledger/fabric-core/pki';
import { connectFirstUser, startProbeNetwork, TEST_CHANNEL, type ProbeNetwork } from '../test/fixtures/probe-chaincode/network';

describe('Evaluate', () => {
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

  async function gatewayError(call: Promise<unknown>): Promise<GatewayError> {
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(err)}`);
    return err;
  }

  it('returns the contract result, with the caller as the chaincode sees it', async () => {
    expect(Buffer.from(await contract.evaluateTransaction('echo', 'hello')).toString()).toBe('hello');
    expect(Buffer.from(await contract.evaluateTransaction('probe:echo', 'qualified')).toString()).toBe('qualified');
    const who = JSON.parse(Buffer.from(await contract.evaluateTransaction('whoami')).toString()) as Record<string, string>;
    expect(who).toMatchObject({ mspId: 'Org1MSP', role: 'clinician' });
    expect((await contract.evaluateTransaction('put', 'k', 'v')).length).toBe(0);
  });

  it('maps a contract error to UNKNOWN with one detail for the peer that ran it', async () => {
    const err = await gatewayError(contract.evaluateTransaction('fail', 'asset X does not exist'));
    expect([err.code, err.message]).toEqual([2, '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, asset X does not exist']);
    expect(err.details.map((d) => [d.address, d.mspId, d.message])).toEqual([
      ['peer0.org1.example.com:7051', 'Org1MSP', 'chaincode response 500, asset X does not exist'],
    ]);
    const targeted = await gatewayError(contract.evaluate('fail', { arguments: ['nope'], endorsingOrganizations: ['Org2MSP'] }));
    expect(targeted.details.map((d) => [d.address, d.mspId])).toEqual([['peer0.org2.example.com:9051', 'Org2MSP']]);
  });

  it('refuses unknown orgs, chaincodes and channels with Fabric texts', async () => {
    const org9 = await gatewayError(contract.evaluate('echo', { arguments: ['x'], endorsingOrganizations: ['Org9MSP'] }));
    expect([org9.code, org9.message, org9.details]).toEqual([9, `9 FAILED_PRECONDITION: no peers available to evaluate chaincode probe in channel ${TEST_CHANNEL}`, []]);
    const nocc = await gatewayError(gw.getNetwork(TEST_CHANNEL).getContract('nosuchcc').evaluateTransaction('x'));
    expect(nocc.message).toBe(`9 FAILED_PRECONDITION: no peers available to evaluate chaincode nosuchcc in channel ${TEST_CHANNEL}`);
    const noch = await gatewayError(gw.getNetwork('nochannel').getContract('probe').evaluateTransaction('echo', 'x'));
    expect([noch.code, noch.message]).toEqual([14, '14 UNAVAILABLE: failed to get config for channel [nochannel]: could not get last config for channel nochannel']);
  });

  it('a rejection by another org\'s peer arrives as a bare gRPC error and is retried (UNAVAILABLE)', async () => {
    const rogueCa = await CertificateAuthority.create('C=US, O=org1.example.com, CN=ca.org1.example.com');
    const rogue = await rogueCa.issue({ usage: 'identity', subject: 'C=US, OU=client, CN=User1@org1.example.com', attributes: {} });
    const rogueGw = connect({
      client: env.client,
      identity: { mspId: 'Org1MSP', credentials: Buffer.from(rogue.certPem) },
      signer: signers.newPrivateKeySigner(createPrivateKey(rogue.keyPem)),
    });
    try {
      const rogueContract = rogueGw.getNetwork(TEST_CHANNEL).getContract('probe');
      const local = await gatewayError(rogueContract.evaluateTransaction('echo', 'x'));
      const denied = `error validating proposal: access denied: channel [${TEST_CHANNEL}] creator org unknown, creator is malformed`;
      expect([local.code, local.message]).toEqual([9, `9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${denied}`]);
      const remote = await gatewayError(rogueContract.evaluate('echo', { arguments: ['x'], endorsingOrganizations: ['Org2MSP'] }));
      expect([remote.code, remote.message]).toEqual([14, '14 UNAVAILABLE: failed to evaluate transaction, see attached details for more info']);
      expect(remote.details.map((d) => [d.mspId, d.message])).toEqual([['Org2MSP', `rpc error: code = Unknown desc = ${denied}`]]);
    } finally {
      rogueGw.close();
    }
  });

  it('keeps transient data on the gateway org and still runs the chaincode', async () => {
    const info = JSON.parse(Buffer.from(await contract.evaluate('txInfo', { transientData: { secret: 'x' } })).toString()) as { transient: string[] };
    expect(info.transient).toEqual(['secret']);
  });

  it('answers qscc from the peer itself', async () => {
    const qscc = gw.getNetwork(TEST_CHANNEL).getContract('qscc');
    const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', TEST_CHANNEL));
    expect(info.getHeight()).toBe(1);
    const missing = await gatewayError(qscc.evaluateTransaction('GetBlockByNumber', TEST_CHANNEL, '7'));
    expect(missing.message).toBe(
      '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, Failed to get block number 7, error no such block number [7] in index',
    );
  });

  it('tries every peer when the chaincode service is down, then reports each', async () => {
    await env.probe.stop();
    const err = await gatewayError(contract.evaluateTransaction('echo', 'x'));
    expect([err.code, err.message]).toEqual([10, '10 ABORTED: failed to evaluate transaction, see attached details for more info']);
    expect(err.details.map((d) => d.mspId)).toEqual(['Org1MSP', 'Org2MSP']);
    expect(err.details[0]?.message).toMatch(
      new RegExp(`^error in simulation: failed to execute transaction [0-9a-f]{64}: could not launch chaincode ${env.probe.packageId}: .*connect: connection refused"$`),
    );
  });
});
