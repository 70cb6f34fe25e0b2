import type { Consortium } from '../consortium';
import type { Topology } from './topology';

/**
 * The ports table of docs/operations.md, generated from the topology so that the documentation
 * cannot drift from the generator (a test compares the two). Orderers beyond the first are
 * marked with the `--orderers` value that starts them.
 */
export function portsTable(consortium: Consortium, topology: Topology): string {
  const rows = [
    '| Node | Listen | Other |',
    '|---|---|---|',
    ...topology.orderers.map(
      (o, i) => `| ${o.host}${i === 0 ? '' : ` (\`--orderers ${i + 1}\`+)`} | ${o.port} | admin (channel participation) ${o.adminPort}, operations ${o.operationsPort} |`,
    ),
    ...topology.orgs.flatMap((org) => org.peers.map((p) => `| ${p.host} | ${p.port} | chaincode ${p.chaincodePort}, operations ${p.operationsPort} |`)),
    `| chaincode server | ${consortium.chaincode.address.split(':')[1] ?? ''} | (consortium \`chaincode.address\`) |`,
  ];
  return rows.join('\n');
}
