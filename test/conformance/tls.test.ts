/**
 * Conformance (spec §1): with TLS on, each peer serves its TLS certificate (from the org's TLS CA,
 * for the peer's host name) and production-style client code with `ssl_target_name_override` works.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;

beforeAll(async () => {
  net = await startNetwork({ tls: true });
});

afterAll(async () => {
  await net?.stop();
});

describe('TLS', () => {
  it('describes TLS in devnet.json and serves evaluate and submit over it', async () => {
    const org = net.devnet.descriptor.orgs.find((o) => o.mspId === 'Org1MSP');
    expect(org).toMatchObject({ hostOverride: 'peer0.org1.example.com', tlsCaCert: expect.stringMatching(/tlsca/) as unknown });
    const probe = net.gateway('Org1MSP').getNetwork(CHANNEL).getContract(CHAINCODE);
    const key = unique('tls');
    await probe.submitTransaction('put', key, 'secure');
    expect(text(await probe.evaluateTransaction('get', key))).toBe('secure');
  });

  it('refuses a plaintext client', async () => {
    const client = new grpc.Client(net.devnet.endpoint('Org1MSP'), grpc.credentials.createInsecure());
    try {
      await expect(new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 1000, (err) => (err ? reject(err) : resolve())))).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('refuses a client that trusts another CA', async () => {
    const org2 = net.devnet.descriptor.orgs.find((o) => o.mspId === 'Org2MSP');
    const client = new grpc.Client(net.devnet.endpoint('Org1MSP'), grpc.credentials.createSsl(readFileSync(org2?.tlsCaCert ?? '')), {
      'grpc.ssl_target_name_override': 'peer0.org1.example.com',
    });
    try {
      await expect(new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 1000, (err) => (err ? reject(err) : resolve())))).rejects.toThrow();
    } finally {
      client.close();
    }
  });
});
