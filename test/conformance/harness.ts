/**
 * The conformance suite's network, on one of two targets with the same topology (consortium.yaml:
 * Org1MSP and Org2MSP with one peer each, chaincode `probe` endorsed by both) and real
 * @hyperledger/fabric-gateway clients:
 *
 * - `devnet` (default): an in-memory devnet per test file on random free ports, with the probe
 *   chaincode as a real chaincode service.
 * - `fabric` (HEALTHLEDGER_CONFORMANCE_TARGET=fabric): an already running Fabric 2.5 network,
 *   brought up and given the probe chaincode by scripts/test-conformance-fabric.js; every test
 *   file connects to the same network (run with --runInBand).
 *
 * Tests see the network only through {@link ConformanceNetwork}: what a client can observe (qscc,
 * the peers' operations metrics) takes the same path on both targets; the orderer hooks differ
 * per target and say why.
 */
import { createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Commit, type Gateway, type Identity, type Signer, type Transaction } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { Devnet, DevnetOptions } from '@healthledger/network/devnet';
import { commitStatusRequest } from './commit-request';
import { CHANNEL, MATERIAL_DIR } from './consortium';
import { startDevnetTarget } from './devnet-target';
import { connectFabricTarget } from './fabric-target';

export { CHAINCODE, CHANNEL, MATERIAL_DIR, ORG1_ONLY_COLLECTION, SHORT_LIVED_COLLECTION, testConsortium } from './consortium';

export type TargetName = 'devnet' | 'fabric';

function targetFromEnv(): TargetName {
  const value = process.env.HEALTHLEDGER_CONFORMANCE_TARGET ?? 'devnet';
  if (value !== 'devnet' && value !== 'fabric') throw new Error(`HEALTHLEDGER_CONFORMANCE_TARGET=${value}: expected devnet or fabric`);
  return value;
}

/** Which network this run's tests talk to. */
export const TARGET: TargetName = targetFromEnv();

/**
 * `describe`/`it` for a case that can only apply to the devnet; on Fabric it is reported as
 * skipped. Each use says why in a comment or in the test name.
 */
export const describeOnDevnet = TARGET === 'devnet' ? describe : describe.skip;
export const itOnDevnet = TARGET === 'devnet' ? it : it.skip;

/** How a client reaches one organisation's gateway peer. */
export interface PeerAccess {
  mspId: string;
  /** `host:port` a client dials. */
  endpoint: string;
  /** The peer's address as the gateway names it in error details. */
  address: string;
  /** Present when the peer serves TLS: its TLS CA certificate (PEM file) and certificate host name. */
  tls?: { caCertFile: string; hostOverride: string };
}

/** A user identity of an organisation (PEM). */
export interface UserCredentials {
  mspId: string;
  certPem: Buffer;
  keyPem: Buffer;
}

/** What differs between the two targets; everything else is built on it below. */
export interface TargetBackend {
  readonly devnet: Devnet | undefined;
  peer(mspId: string): PeerAccess;
  user(mspId: string, name: string): UserCredentials;
  proposalsReceived(mspId: string): Promise<number>;
  pauseOrderer(): Promise<void>;
  resumeOrderer(): Promise<void>;
  /** Puts the endorsed transactions into one block in the given order; see {@link ConformanceNetwork.inOneBlock}. */
  inOneBlock(transactions: Transaction[], submitter: { gateway: Gateway; identity: Identity; signer: Signer }): Promise<Commit[]>;
  close(): Promise<void>;
}

/** A running conformance network. */
export interface ConformanceNetwork {
  readonly target: TargetName;
  /** The devnet's internals, for devnet-only cases; undefined on Fabric. */
  readonly devnet: Devnet | undefined;
  /** A gateway for `user` of `mspId`, connected to the peer of `via` (default: its own org). */
  gateway(mspId: string, user?: string, via?: string): Gateway;
  /** The grpc client of `mspId`'s peer (for raw calls). */
  client(mspId: string): grpc.Client;
  /** Endpoint, TLS settings and gateway address of `mspId`'s peer. */
  peer(mspId: string): PeerAccess;
  /** A user's certificate and private key. */
  user(mspId: string, name?: string): UserCredentials;
  /** The channel's height as Org1's peer reports it (qscc GetChainInfo). */
  height(): Promise<bigint>;
  /** Block `number` as Org1's peer stores it (qscc GetBlockByNumber). */
  block(number: bigint): Promise<common.Block>;
  /** `endorser_proposals_received` of `mspId`'s peer. */
  proposalsReceived(mspId: string): Promise<number>;
  /** Holds block cutting until {@link resumeOrderer}: nothing commits meanwhile. */
  pauseOrderer(): Promise<void>;
  resumeOrderer(): Promise<void>;
  /** Transaction `txId` as seen by the peer of `gateway` (which may not be the one that submitted it). */
  commit(gateway: Gateway, txId: string): Commit;
  /**
   * Orders the endorsed transactions (of `gateway`'s identity) into one block, in the given
   * order, and returns their commits.
   */
  inOneBlock(gateway: Gateway, ...transactions: Transaction[]): Promise<Commit[]>;
  stop(): Promise<void>;
}

/** What a test file may ask of the network; devnet settings are ignored on Fabric (always TLS). */
export type NetworkOptions = Pick<Partial<DevnetOptions>, 'tls'>;

/**
 * Starts (devnet) or connects to (Fabric) the network. Devnet material lives in one directory per
 * test file (reused across runs; test files run in parallel workers and must not generate into the
 * same tree).
 */
export async function startNetwork(opts: NetworkOptions = {}): Promise<ConformanceNetwork> {
  const backend =
    TARGET === 'fabric'
      ? await connectFabricTarget()
      : await startDevnetTarget({ ...opts, dataDir: seeded(path.join(MATERIAL_DIR, path.basename(expect.getState().testPath ?? 'default', '.test.ts'))) });
  return withClients(backend);
}

/**
 * A test file's material directory, started (when it has no material yet) from a copy of the
 * material test/global-setup.js issued once for the run; the devnet tops up anything missing.
 */
function seeded(dataDir: string): string {
  const target = path.join(dataDir, 'organizations');
  const template = path.join(MATERIAL_DIR, '.template', 'organizations');
  if (!existsSync(target) && existsSync(template)) cpSync(template, target, { recursive: true });
  return dataDir;
}

function withClients(backend: TargetBackend): ConformanceNetwork {
  const clients = new Map<string, grpc.Client>();
  const gateways: Gateway[] = [];
  const submitters = new WeakMap<Gateway, { identity: Identity; signer: Signer }>();
  const client = (mspId: string): grpc.Client => {
    let c = clients.get(mspId);
    if (!c) {
      // With TLS, connect as production code does: the org's TLS CA and the peer's host name.
      const { endpoint, tls } = backend.peer(mspId);
      c = tls
        ? new grpc.Client(endpoint, grpc.credentials.createSsl(readFileSync(tls.caCertFile)), { 'grpc.ssl_target_name_override': tls.hostOverride })
        : new grpc.Client(endpoint, grpc.credentials.createInsecure());
      clients.set(mspId, c);
    }
    return c;
  };
  const gateway = (mspId: string, user = 'user1', via = mspId): Gateway => {
    const credentials = backend.user(mspId, user);
    const identity: Identity = { mspId, credentials: credentials.certPem };
    const signer = signers.newPrivateKeySigner(createPrivateKey(credentials.keyPem));
    const gw = connect({
      client: client(via),
      identity,
      signer,
      evaluateOptions: () => ({ deadline: Date.now() + 30_000 }),
      endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
      submitOptions: () => ({ deadline: Date.now() + 30_000 }),
      commitStatusOptions: () => ({ deadline: Date.now() + 30_000 }),
    });
    gateways.push(gw);
    submitters.set(gw, { identity, signer });
    return gw;
  };
  // qscc through Org1's peer: the devnet serves it as Fabric does, so one path reads both ledgers.
  let qscc: ReturnType<ReturnType<Gateway['getNetwork']>['getContract']> | undefined;
  const query = async (fn: string, ...args: string[]): Promise<Uint8Array> => {
    qscc ??= gateway('Org1MSP').getNetwork(CHANNEL).getContract('qscc');
    return qscc.evaluateTransaction(fn, CHANNEL, ...args);
  };
  return {
    target: TARGET,
    devnet: backend.devnet,
    client,
    gateway,
    peer: (mspId) => backend.peer(mspId),
    user: (mspId, name = 'user1') => backend.user(mspId, name),
    height: async () => BigInt(common.BlockchainInfo.deserializeBinary(await query('GetChainInfo')).getHeight()),
    block: async (number) => common.Block.deserializeBinary(await query('GetBlockByNumber', String(number))),
    proposalsReceived: (mspId) => backend.proposalsReceived(mspId),
    pauseOrderer: () => backend.pauseOrderer(),
    resumeOrderer: () => backend.resumeOrderer(),
    commit(gw, txId) {
      const submitter = submitters.get(gw);
      if (!submitter) throw new Error('commit needs a gateway made by this network');
      return gw.newCommit(commitStatusRequest(submitter.identity, txId));
    },
    inOneBlock(gw, ...transactions) {
      const submitter = submitters.get(gw);
      if (!submitter) throw new Error('inOneBlock needs a gateway made by this network');
      return backend.inOneBlock(transactions, { gateway: gw, ...submitter });
    },
    async stop() {
      for (const gw of gateways) gw.close();
      for (const c of clients.values()) c.close();
      await backend.close();
    },
  };
}

/** UTF-8 text of a result. */
export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** Polls `condition` every `intervalMs` until it holds (the test's timeout bounds the wait). */
export async function until(condition: () => Promise<boolean> | boolean, intervalMs = 10): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

/** A unique key prefix per test, so tests sharing a network do not collide. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}
