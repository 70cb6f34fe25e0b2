/**
 * Conformance: with TLS on, each peer serves its TLS certificate (from the org's TLS CA,
 * for the peer's host name) and production-style client code with `ssl_target_name_override` works.
 * The devnet turns TLS on for this file; a real network here always runs TLS.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { CHAINCODE, CHANNEL, itOnDevnet, startNetwork, text, unique, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;

beforeAll(async () => {
  net = await startNetwork({ tls: true });
});

afterAll(async () => {
  await net?.stop();
});

describe('TLS', () => {
  it('serves evaluate and submit over TLS to a client that trusts the org\'s TLS CA and names the peer\'s host', async () => {
    expect(net.peer('Org1MSP').tls).toMatchObject({ hostOverride: 'peer0.org1.example.com', caCertFile: expect.any(String) as unknown });
    const probe = net.gateway('Org1MSP').getNetwork(CHANNEL).getContract(CHAINCODE);
    const key = unique('tls');
    await probe.submitTransaction('put', key, 'secure');
    expect(text(await probe.evaluateTransaction('get', key))).toBe('secure');
  });

  // Devnet only: devnet.json is the devnet's own descriptor; a Fabric network's clients take the
  // same settings from the gateway env files scripts/network.sh writes (what net.peer() reads).
  itOnDevnet('describes TLS in devnet.json', () => {
    const org = net.devnet?.descriptor.orgs.find((o) => o.mspId === 'Org1MSP');
    expect(org).toMatchObject({ hostOverride: 'peer0.org1.example.com', tlsCaCert: expect.stringMatching(/tlsca/) as unknown });
  });

  it('refuses a plaintext client', async () => {
    const client = new grpc.Client(net.peer('Org1MSP').endpoint, grpc.credentials.createInsecure());
    try {
      await expect(new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 1000, (err) => (err ? reject(err) : resolve())))).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('refuses a client that trusts another CA', async () => {
    const org2 = net.peer('Org2MSP').tls;
    const client = new grpc.Client(net.peer('Org1MSP').endpoint, grpc.credentials.createSsl(readFileSync(org2?.caCertFile ?? '')), {
      'grpc.ssl_target_name_override': 'peer0.org1.example.com',
    });
    try {
      await expect(new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 1000, (err) => (err ? reject(err) : resolve())))).rejects.toThrow();
    } finally {
      client.close();
    }
  });
});
