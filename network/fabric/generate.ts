/**
 * Everything a real Fabric 2.5 network for the consortium needs, written into a work directory:
 * crypto material (the devnet's generator, so both networks share identities), configtx.yaml,
 * core.yaml/orderer.yaml per node (the release defaults overlaid) or compose.yaml, the ccaas
 * package files, gateway env files and network.env for scripts/network.sh.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Consortium } from '../consortium';
import { generateMaterial } from '@healthledger/fabric-core/pki';
import { ccaasConnection } from './ccaas';
import { collectionsConfigOf } from './collections';
import { composeOf } from './compose';
import { configtxOf } from './configtx';
import { CCAAS_BUILDER_DIR, peerCoreOverlay } from './core';
import { envFileText, gatewayEnvOf } from './gateway-env';
import { overlay } from './merge';
import { ordererOverlay } from './orderer';
import { shellEnvOf } from './shell-env';
import { topologyOf, type Topology } from './topology';

export interface GenerateOptions {
  workDir: string;
  orderers?: number;
  docker?: boolean;
  /** Host name → IPv4 address of every node and of `chaincode` (a hosts file): several hosts. */
  hosts?: Record<string, string>;
  /** The Fabric release's config directory (core.yaml, orderer.yaml); native mode only. */
  fabricCfg?: string;
  onProgress?: (line: string) => void;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function releaseDefaults(fabricCfg: string | undefined, file: string): unknown {
  const candidate = fabricCfg ? path.join(fabricCfg, file) : undefined;
  if (!candidate || !existsSync(candidate)) {
    throw new Error(`${file} of the Fabric 2.5 release not found (looked in ${fabricCfg ?? 'FABRIC_CFG_PATH, unset'}); set FABRIC_CFG_PATH to the release's config directory`);
  }
  return parse(readFileSync(candidate, 'utf8'));
}

/**
 * Fails generation when the builder a peer's core.yaml would name is missing or not executable:
 * the peer would otherwise reject every chaincode install at deploy time, far from the cause.
 */
export function checkBuilder(builderDir: string): void {
  for (const script of ['detect', 'build', 'release']) {
    const file = path.join(builderDir, 'bin', script);
    try {
      accessSync(file, constants.X_OK);
    } catch {
      throw new Error(`the ccaas external builder script ${file} is missing or not executable`);
    }
  }
}

function writeNodeConfigs(topology: Topology, fabricCfg: string | undefined): void {
  checkBuilder(CCAAS_BUILDER_DIR);
  const coreBase = releaseDefaults(fabricCfg, 'core.yaml');
  const ordererBase = releaseDefaults(fabricCfg, 'orderer.yaml');
  for (const org of topology.orgs) {
    for (const peer of org.peers) {
      write(path.join(peer.configDir, 'core.yaml'), stringify(overlay(coreBase, peerCoreOverlay(topology, peer))));
      mkdirSync(peer.dataDir, { recursive: true });
    }
  }
  for (const orderer of topology.orderers) {
    write(path.join(orderer.configDir, 'orderer.yaml'), stringify(overlay(ordererBase, ordererOverlay(topology, orderer))));
    mkdirSync(orderer.dataDir, { recursive: true });
  }
}

/** Generates the network's files; returns its topology. */
export async function generateNetwork(consortium: Consortium, options: GenerateOptions): Promise<Topology> {
  const { workDir, docker = false } = options;
  if (docker && options.hosts) throw new Error('a hosts file and Docker mode exclude each other (Docker names the nodes itself)');
  const topology = topologyOf(consortium, { workDir, orderers: options.orderers ?? 1, addressing: docker ? 'docker' : 'native', hosts: options.hosts });
  const extraOrdererHosts = topology.orderers.slice(1).map((o) => o.host);
  // Nodes dialled at an IP address must present it in their TLS certificate.
  const tlsIpAddresses = Object.fromEntries(Object.entries(topology.hosts).map(([host, ip]) => [host, [ip]]));
  await generateMaterial(consortium, topology.materialDir, { extraOrdererHosts, tlsIpAddresses, onProgress: options.onProgress });
  write(path.join(workDir, 'config', 'configtx', 'configtx.yaml'), stringify(configtxOf(consortium, topology)));
  if (docker) write(path.join(workDir, 'compose.yaml'), stringify(composeOf(consortium, topology, CCAAS_BUILDER_DIR)));
  else writeNodeConfigs(topology, options.fabricCfg);
  write(path.join(workDir, 'chaincode', 'connection.json'), JSON.stringify(ccaasConnection(consortium, topology), null, 2));
  write(path.join(workDir, 'chaincode', 'collections.json'), JSON.stringify(collectionsConfigOf(consortium), null, 2));
  for (const org of consortium.organizations) {
    write(path.join(workDir, 'gateway', `${org.mspId}.env`), envFileText(gatewayEnvOf(consortium, topology, org.mspId)));
  }
  mkdirSync(path.join(workDir, 'channel'), { recursive: true });
  write(path.join(workDir, 'network.env'), shellEnvOf(consortium, topology));
  return topology;
}
