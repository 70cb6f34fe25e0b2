/**
 * The conformance suite's network: an in-memory devnet with the two-org topology of
 * fabric-observed.md (Org1MSP, Org2MSP, one peer each, chaincode `probe` with the default
 * endorsement policy = both orgs), on random free ports, with the probe chaincode as a real
 * chaincode service, and real @hyperledger/fabric-gateway clients.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Gateway } from '@hyperledger/fabric-gateway';
import type { CollectionDefinition } from '@healthledger/network';
import { Devnet, type DevnetOptions } from '@healthledger/network/devnet';
import { startProbeChaincode, type ProbeChaincode } from '@healthledger/network/devnet/test/fixtures/probe-chaincode/harness';
import { CHAINCODE, MATERIAL_DIR, testConsortium } from './consortium';

export { CHAINCODE, CHANNEL, MATERIAL_DIR, testConsortium } from './consortium';

/** A running conformance network. */
export interface ConformanceNetwork {
  devnet: Devnet;
  probe: ProbeChaincode;
  /** A gateway for `user` of `mspId`, connected to the peer of `via` (default: its own org). */
  gateway(mspId: string, user?: string, via?: string): Gateway;
  /** The grpc client of `mspId`'s peer (for raw calls). */
  client(mspId: string): grpc.Client;
  stop(): Promise<void>;
}

/**
 * Starts the devnet + probe chaincode. Material lives in one directory per test file (reused
 * across runs; test files run in parallel workers and must not generate into the same tree).
 */
export async function startNetwork(opts: Partial<DevnetOptions> & { collections?: CollectionDefinition[] } = {}): Promise<ConformanceNetwork> {
  const { collections, ...devnetOptions } = opts;
  const probe = await startProbeChaincode();
  let devnet: Devnet;
  try {
    devnet = await Devnet.start({
      consortium: testConsortium(),
      dataDir: path.join(MATERIAL_DIR, path.basename(expect.getState().testPath ?? 'default', '.test.ts')),
      inMemory: true,
      randomPorts: true,
      chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, packageId: probe.packageId, address: probe.address, collections }],
      ...devnetOptions,
    });
  } catch (err) {
    await probe.stop();
    throw err;
  }
  const clients = new Map<string, grpc.Client>();
  const gateways: Gateway[] = [];
  const client = (mspId: string): grpc.Client => {
    let c = clients.get(mspId);
    if (!c) {
      // With TLS, connect as production code does: the org's TLS CA and the peer's host name.
      const org = devnet.descriptor.orgs.find((o) => o.mspId === mspId);
      c = org?.tlsCaCert
        ? new grpc.Client(devnet.endpoint(mspId), grpc.credentials.createSsl(readFileSync(org.tlsCaCert)), { 'grpc.ssl_target_name_override': org.hostOverride })
        : new grpc.Client(devnet.endpoint(mspId), grpc.credentials.createInsecure());
      clients.set(mspId, c);
    }
    return c;
  };
  return {
    devnet,
    probe,
    client,
    gateway(mspId, user = 'user1', via = mspId) {
      const org = devnet.descriptor.orgs.find((o) => o.mspId === mspId);
      const u = org?.users.find((x) => x.name === user);
      if (!u) throw new Error(`no user ${user} in ${mspId}`);
      const gw = connect({
        client: client(via),
        identity: { mspId, credentials: readFileSync(u.cert) },
        signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(u.key))),
        evaluateOptions: () => ({ deadline: Date.now() + 30_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
        submitOptions: () => ({ deadline: Date.now() + 30_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 30_000 }),
      });
      gateways.push(gw);
      return gw;
    },
    async stop() {
      for (const gw of gateways) gw.close();
      for (const c of clients.values()) c.close();
      await devnet.stop();
      await probe.stop();
    },
  };
}

/** UTF-8 text of a result. */
export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** A unique key prefix per test, so tests sharing a network do not collide. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}
