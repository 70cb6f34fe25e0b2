/**
 * Conformance (docs/design/fabric-conformance.md j, l): identities outside the channel — an unknown MSP, and a
 * certificate from a foreign CA claiming Org1MSP — on block events (403), chaincode events and
 * commit status (PERMISSION_DENIED with the Readers policy text).
 */
import { createPrivateKey } from 'node:crypto';
import { connect, GatewayError, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { CertificateAuthority } from '@healthledger/fabric-core/pki';
import { CHAINCODE, CHANNEL, startNetwork, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
const strangers: Gateway[] = [];

beforeAll(async () => {
  net = await startNetwork();
});

afterAll(async () => {
  for (const gw of strangers) gw.close();
  await net?.stop();
});

/** A client identity issued by a CA the channel does not know, claiming `mspId`. */
async function stranger(mspId: string): Promise<Gateway> {
  const ca = await CertificateAuthority.create('C=US, O=elsewhere.example.com, CN=ca.elsewhere.example.com');
  const leaf = await ca.issue({ usage: 'identity', subject: 'C=US, OU=client, CN=mallory', attributes: {} });
  const gateway = connect({
    client: net.client('Org1MSP'),
    identity: { mspId, credentials: Buffer.from(leaf.certPem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(leaf.keyPem)),
  });
  strangers.push(gateway);
  return gateway;
}

const READERS_DENIED =
  "7 PERMISSION_DENIED: Failed evaluating policy on signed data during check policy on channel [mychannel] with policy [/Channel/Application/Readers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Readers' sub-policies to be satisfied]";

describe.each([['an unknown MSP', 'Org3MSP'], ['a foreign certificate claiming Org1MSP', 'Org1MSP']])('%s', (_what, mspId) => {
  it('gets "Unexpected status response: 403" on block events', async () => {
    const network = (await stranger(mspId)).getNetwork(CHANNEL);
    const events = await network.getBlockEvents({ startBlock: 0n });
    await expect(events[Symbol.asyncIterator]().next()).rejects.toThrow('Unexpected status response: 403');
    events.close();
  });

  it('gets PERMISSION_DENIED with the Readers policy text on chaincode events', async () => {
    const events = await (await stranger(mspId)).getNetwork(CHANNEL).getChaincodeEvents(CHAINCODE);
    const err = (await events[Symbol.asyncIterator]().next().catch((e: unknown) => e)) as GatewayError;
    events.close();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe(7);
    expect(err.message).toBe(READERS_DENIED);
    expect(err.details).toEqual([]);
  });
});
