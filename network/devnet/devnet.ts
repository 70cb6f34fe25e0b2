/**
 * The assembled devnet: crypto material, channel config, ledger, committer, orderer, one gRPC
 * endpoint per simulated peer, optionally our chaincode server, and `devnet.json`.
 */
import path from 'node:path';
import type { common } from '@hyperledger/fabric-protos';
import { loadConsortium, type Consortium } from '../consortium';
import { ChaincodeServer, defaultChaincodeDir, freeLoopbackAddress } from './chaincode-server';
import { applyConfigUpdate, buildChannelConfig, ChannelConfig } from './channelconfig';
import { CommitFeed, Committer } from './committer';
import { ChaincodeRegistry, type ChaincodeDefinitionInput, type ChaincodeDefinitionRuntime } from './definitions';
import { resolveDataDir } from './data-dir';
import { writeDescriptor, type DevnetDescriptor } from './descriptor';
import { Ledger } from './ledger';
import { lastConfigIndexOf, Orderer } from './orderer';
import { PeerServer, SimulatedPeer, peerServices, type NetworkRuntime } from './peer';
import { generateMaterial, type Material } from '@healthledger/fabric-core/pki';
import { TransientStore } from './pvtdata';

/** How to start a devnet. Everything is optional. */
export interface DevnetOptions {
  /** Default: `loadConsortium()` (network/consortium.yaml or HEALTHLEDGER_CONSORTIUM). */
  consortium?: Consortium;
  /** Material, ledger and devnet.json; default HEALTHLEDGER_DATA_DIR or ./.healthledger. */
  dataDir?: string;
  /** Keep the ledger in memory (material and devnet.json still go to `dataDir`). */
  inMemory?: boolean;
  /** Serve TLS with each peer's TLS certificate. */
  tls?: boolean;
  peersPerOrg?: number;
  /** Bind every peer (and a spawned chaincode server) on a free port instead of the consortium's (tests). */
  randomPorts?: boolean;
  /** Interface to bind; default 127.0.0.1. */
  bindHost?: string;
  /** Chaincodes on the channel; default: the consortium's chaincode. */
  chaincodes?: ChaincodeDefinitionInput[];
  /** Spawn our chaincode (chaincode/dist) as a CaaS server at the first chaincode's address. */
  chaincodeServer?: boolean | { cwd?: string; logLevel?: string };
  /** Block cutting; default: cut as soon as the previous block committed. */
  batchTimeoutMs?: number;
  maxMessageCount?: number;
  preferredMaxBytes?: number;
  /** Progress lines (material generation, endpoints). */
  onProgress?: (line: string) => void;
}

/** One running peer endpoint. */
export interface DevnetPeer {
  readonly runtime: SimulatedPeer;
  readonly server: PeerServer;
  /** What a client dials (`127.0.0.1:<port>`). */
  readonly address: string;
}

export { resolveDataDir };

function defaultChaincodes(consortium: Consortium): ChaincodeDefinitionInput[] {
  const cc = consortium.chaincode;
  return [{ name: cc.name, version: cc.version, sequence: cc.sequence, endorsementPolicy: cc.endorsementPolicy, collections: consortium.collections, address: cc.address }];
}

/** A running devnet. */
export class Devnet {
  private constructor(
    /** The assembled network; each peer's services get only their part of it (peer/assembly.ts). */
    readonly network: NetworkRuntime,
    readonly material: Material,
    readonly peers: DevnetPeer[],
    readonly descriptor: DevnetDescriptor,
    /** Absolute path of devnet.json. */
    readonly descriptorPath: string,
    /** The ordering service; `pause()`/`resume()` are test hooks (never exposed over gRPC). */
    readonly orderer: Orderer,
    private readonly chaincodeServer: ChaincodeServer | undefined,
  ) {}

  /** Starts everything and resolves when every peer accepts calls. */
  static async start(opts: DevnetOptions = {}): Promise<Devnet> {
    const progress = opts.onProgress ?? (() => undefined);
    const consortium = opts.consortium ?? loadConsortium();
    const dataDir = resolveDataDir(opts.dataDir);
    const material = await generateMaterial(consortium, path.join(dataDir, 'organizations'), { peersPerOrg: opts.peersPerOrg, onProgress: progress });
    const config = buildChannelConfig(consortium, material);
    const inputs = opts.chaincodes ?? defaultChaincodes(consortium);
    // With random ports, our own chaincode server gets a free port too (parallel test runs).
    const [first] = inputs;
    if (!opts.chaincodes && opts.randomPorts && opts.chaincodeServer && first) first.address = await freeLoopbackAddress();
    const chaincodes = ChaincodeRegistry.fromInputs(inputs, config.orgs);
    const ledger = await Ledger.open({
      dir: opts.inMemory ? undefined : path.join(dataDir, 'ledger'),
      orgs: config.orgs,
      log: progress,
      blockToLive: (ns, coll) => chaincodes.blockToLive(ns, coll),
    });
    const transientStore = new TransientStore();
    const feed = new CommitFeed(ledger.blocks);
    const onConfigBlock = (block: common.Block): void => config.apply(ChannelConfig.fromBlock(block).config);
    const committer = new Committer({ config, ledger, chaincodes, transientStore, feed, onConfigBlock });
    if (ledger.blocks.height === 0n) await committer.commit(config.genesisBlock());
    // A ledger kept across restarts may carry config updates (CRLs): the last config block rules.
    const lastConfigIndex = lastConfigBlock(ledger);
    const lastConfig = lastConfigIndex > 0n ? ledger.blocks.getBlock(lastConfigIndex) : undefined;
    if (lastConfig) onConfigBlock(lastConfig);
    const orderer = new Orderer({
      config,
      ledger,
      identity: material.orderer.identity,
      commit: (block) => committer.commit(block),
      batchTimeoutMs: opts.batchTimeoutMs,
      maxMessageCount: opts.maxMessageCount,
      preferredMaxBytes: opts.preferredMaxBytes,
      onFailure: (err) => progress(`orderer stopped: commit failed: ${(err as Error).message}`),
      configUpdate: (update) => applyConfigUpdate(config, update),
      lastConfigIndex,
    });

    const peers: DevnetPeer[] = [];
    const network: NetworkRuntime = { config, ledger, peers: [], chaincodes, transientStore, orderer, commitNotifier: feed };
    try {
      for (const org of material.orgs) {
        for (const p of org.peers) {
          const tls = opts.tls ? { certPem: p.tlsCertPem, keyPem: p.tlsKeyPem } : undefined;
          const server = await PeerServer.listen({ bindHost: opts.bindHost, port: opts.randomPorts ? 0 : p.port, tls });
          const runtime = new SimulatedPeer(org.mspId, p.name, p.host, `${p.host}:${server.port}`, p.identity, chaincodes);
          peers.push({ runtime, server, address: `127.0.0.1:${server.port}` });
          network.peers.push(runtime);
        }
      }
      for (const p of peers) p.server.serve(peerServices(network, p.runtime));
    } catch (err) {
      await Promise.all(peers.map((p) => p.server.close(0)));
      await orderer.close();
      await ledger.close();
      throw err;
    }

    const chaincodeServer = startChaincodeServer(opts, chaincodes.all()[0], progress);
    const descriptor = describe(consortium, material, peers, chaincodes, opts.tls === true);
    const descriptorPath = await writeDescriptor(dataDir, descriptor);
    return new Devnet(network, material, peers, descriptor, descriptorPath, orderer, chaincodeServer);
  }

  /** The address a client of `mspId` dials (its first peer). */
  endpoint(mspId: string): string {
    const found = this.peers.find((p) => p.runtime.mspId === mspId);
    if (!found) throw new Error(`no peer for ${mspId}`);
    return found.address;
  }

  private stopping: Promise<void> | undefined;

  /** Stops the endpoints, lets the orderer finish the block in flight, then closes the rest. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.server.close()));
    await this.orderer.close();
    for (const p of this.peers) p.runtime.close();
    await this.chaincodeServer?.stop();
    await this.network.ledger.close();
  }
}

/** The LAST_CONFIG index of the ledger's last block. */
function lastConfigBlock(ledger: Ledger): bigint {
  const last = ledger.blocks.getBlock(ledger.blocks.height - 1n);
  return last ? lastConfigIndexOf(last) : 0n;
}

function startChaincodeServer(opts: DevnetOptions, def: ChaincodeDefinitionRuntime | undefined, progress: (line: string) => void): ChaincodeServer | undefined {
  if (!opts.chaincodeServer || !def) return undefined;
  const settings = typeof opts.chaincodeServer === 'object' ? opts.chaincodeServer : {};
  const server = ChaincodeServer.start({
    cwd: settings.cwd ?? defaultChaincodeDir(),
    address: def.address,
    packageId: def.packageId,
    logLevel: settings.logLevel,
    onOutput: (line) => progress(`[chaincode] ${line}`),
  });
  progress(`chaincode ${def.name} (${def.packageId}) serving at ${def.address}, pid ${server.pid ?? '?'}`);
  return server;
}

function describe(consortium: Consortium, material: Material, peers: DevnetPeer[], chaincodes: ChaincodeRegistry, tls: boolean): DevnetDescriptor {
  return {
    channel: consortium.channel,
    chaincode: chaincodes.all()[0]?.name ?? consortium.chaincode.name,
    orgs: material.orgs.map((org) => {
      const gatewayPeer = peers.find((p) => p.runtime.mspId === org.mspId);
      const host = org.peers[0]?.host;
      return {
        mspId: org.mspId,
        peerEndpoint: gatewayPeer?.address ?? '',
        ...(tls ? { tlsCaCert: org.tlsCaCertPath, ...(host ? { hostOverride: host } : {}) } : {}),
        users: org.users.map((u) => ({ name: u.name, role: u.role, cert: u.certPath, key: u.keyPath })),
        ca: { cert: path.join(org.orgDir, 'ca', `ca.${org.domain}-cert.pem`), key: path.join(org.orgDir, 'ca', 'priv_sk') },
        mspAdmin: { cert: path.join(org.adminMspDir, 'signcerts', 'cert.pem'), key: path.join(org.adminMspDir, 'keystore', 'priv_sk') },
      };
    }),
  };
}
