import type { Consortium } from '../consortium';
import { CHAINCODE_HOST } from './hosts';
import type { Topology } from './topology';

/** `metadata.json` of a chaincode-as-a-service package. */
export function ccaasMetadata(label: string): { type: 'ccaas'; label: string } {
  return { type: 'ccaas', label };
}

/**
 * `connection.json` inside the package's code.tar.gz: where peers dial the chaincode server.
 * Under Docker the peers reach the host's chaincode server through host.docker.internal; on
 * several hosts, at the address the hosts file gives `chaincode`.
 */
export function ccaasConnection(consortium: Consortium, topology: Pick<Topology, 'addressing' | 'hosts'>): Record<string, unknown> {
  const port = consortium.chaincode.address.split(':')[1] ?? '9999';
  const host = { native: '127.0.0.1', docker: 'host.docker.internal', hosts: topology.hosts[CHAINCODE_HOST] ?? '' }[topology.addressing];
  if (host === '') throw new Error(`no address for ${CHAINCODE_HOST} in the hosts file`);
  return { address: `${host}:${port}`, dial_timeout: '10s', tls_required: false };
}

/**
 * Where the chaincode server listens: the interface of the address in connection.json (loopback
 * natively, its own address on several hosts), every interface under Docker, where peers come in
 * through the Docker bridge.
 */
export function ccaasListenAddress(consortium: Consortium, topology: Pick<Topology, 'addressing' | 'hosts'>): string {
  const address = ccaasConnection(consortium, topology).address as string;
  return topology.addressing === 'docker' ? `0.0.0.0:${address.split(':')[1] ?? ''}` : address;
}

/** Package label for a chaincode version, e.g. `healthledger_1.0`. */
export function packageLabel(consortium: Consortium, version = consortium.chaincode.version): string {
  return `${consortium.chaincode.name}_${version}`;
}
