import type { Consortium } from '../consortium';

/** `metadata.json` of a chaincode-as-a-service package. */
export function ccaasMetadata(label: string): { type: 'ccaas'; label: string } {
  return { type: 'ccaas', label };
}

/**
 * `connection.json` inside the package's code.tar.gz: where peers dial the chaincode server.
 * Under Docker the peers reach the host's chaincode server through host.docker.internal.
 */
export function ccaasConnection(consortium: Consortium, addressing: 'native' | 'docker'): Record<string, unknown> {
  const port = consortium.chaincode.address.split(':')[1] ?? '9999';
  const host = addressing === 'docker' ? 'host.docker.internal' : '127.0.0.1';
  return { address: `${host}:${port}`, dial_timeout: '10s', tls_required: false };
}

/**
 * Where the chaincode server listens: the interface of the address in connection.json (loopback
 * natively), every interface under Docker, where peers come in through the Docker bridge.
 */
export function ccaasListenAddress(consortium: Consortium, addressing: 'native' | 'docker'): string {
  const address = ccaasConnection(consortium, addressing).address as string;
  return addressing === 'docker' ? `0.0.0.0:${address.split(':')[1] ?? ''}` : address;
}

/** Package label for a chaincode version, e.g. `healthledger_1.0`. */
export function packageLabel(consortium: Consortium, version = consortium.chaincode.version): string {
  return `${consortium.chaincode.name}_${version}`;
}
