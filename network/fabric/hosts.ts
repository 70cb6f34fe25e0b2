import { isIPv4 } from 'node:net';

/**
 * The host name under which a hosts file gives the chaincode server's address. The peers dial the
 * chaincode (as a service) there; it is not a Fabric node, so it has no TLS identity.
 */
export const CHAINCODE_HOST = 'chaincode';

/**
 * The host name under which a hosts file gives an organisation's REST gateway its address. The
 * gateway is no Fabric node either (no TLS identity: it is a client of its peer), but on several
 * hosts it listens on its own address like every node, so its env file names no loopback.
 */
export function gatewayHostOf(orgDomain: string): string {
  return `gateway.${orgDomain}`;
}

/**
 * Reads a hosts file in /etc/hosts form (`IP name [alias…]`, `#` comments) into name → IP. It
 * maps every node host name of the network, and `chaincode`, to the IPv4 address of the machine
 * (or network namespace) where it runs; the generator then uses these addresses everywhere and
 * issues them as TLS subject alternative names, so no name needs to resolve.
 */
export function parseHostsFile(text: string): Record<string, string> {
  const hosts: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const [ip, ...names] = line.split(/\s+/);
    if (!ip || !isIPv4(ip) || names.length === 0) throw new Error(`hosts file line ${index + 1}: expected "IPv4-address host-name…", got "${raw.trim()}"`);
    for (const name of names) {
      if (hosts[name] !== undefined && hosts[name] !== ip) throw new Error(`hosts file line ${index + 1}: ${name} is already mapped to ${hosts[name]}`);
      hosts[name] = ip;
    }
  });
  return hosts;
}

/** Throws naming every host the file lacks, so that a partial file fails before anything is issued. */
export function requireHosts(hosts: Record<string, string>, names: string[]): void {
  const missing = names.filter((n) => hosts[n] === undefined);
  if (missing.length > 0) throw new Error(`the hosts file has no address for: ${missing.join(', ')}`);
}
