/**
 * The Node steps of scripts/network.sh and scripts/netns-hosts.sh:
 *   cli.js generate --work-dir DIR [--orderers N] [--docker | --hosts FILE] [--fabric-cfg DIR]
 *   cli.js hosts [--orderers N]     (every host name a hosts file must map, one a line)
 *   cli.js wait-gossip --channel C [--timeout S] --peer HOST=OPERATIONS_ADDRESS …
 *   cli.js ports [--orderers N]     (the ports table of docs/operations.md)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConsortium } from '../consortium';
import { generateNetwork } from './generate';
import { waitForGossip } from './gossip';
import { parseHostsFile } from './hosts';
import { portsTable } from './ports';
import { hostNamesOf, topologyOf } from './topology';

const USAGE =
  'usage: cli.js generate --work-dir DIR [--orderers N] [--docker | --hosts FILE] [--fabric-cfg DIR] | wait-gossip --channel C [--timeout S] --peer HOST=ADDR… | ports [--orderers N] | hosts [--orderers N]';

function ordererCount(value: string | undefined): number {
  const orderers = Number(value ?? '1');
  if (!Number.isInteger(orderers) || orderers < 1 || orderers > 9) throw new Error('--orderers must be 1 to 9');
  return orderers;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'work-dir': { type: 'string' },
      orderers: { type: 'string', default: '1' },
      docker: { type: 'boolean', default: false },
      'fabric-cfg': { type: 'string' },
      hosts: { type: 'string' },
      channel: { type: 'string' },
      timeout: { type: 'string', default: '120' },
      peer: { type: 'string', multiple: true, default: [] },
    },
  });
  const progress = (line: string): void => console.log(`         ${line}`);
  switch (positionals[0]) {
    case 'generate': {
      if (!values['work-dir']) throw new Error(USAGE);
      await generateNetwork(loadConsortium(), {
        workDir: path.resolve(values['work-dir']),
        orderers: ordererCount(values.orderers),
        docker: values.docker ?? false,
        hosts: values.hosts === undefined ? undefined : parseHostsFile(readFileSync(values.hosts, 'utf8')),
        fabricCfg: values['fabric-cfg'] ?? process.env.FABRIC_CFG_PATH,
        onProgress: progress,
      });
      return;
    }
    case 'wait-gossip': {
      const peers = (values.peer ?? []).map((spec) => {
        const [host, operations] = spec.split('=');
        if (!host || !operations) throw new Error(`--peer ${spec}: expected HOST=OPERATIONS_ADDRESS`);
        return { host, operations };
      });
      if (!values.channel || peers.length === 0) throw new Error(USAGE);
      await waitForGossip(peers, { channel: values.channel, timeoutMs: Number(values.timeout) * 1000, onProgress: progress });
      return;
    }
    case 'ports': {
      const consortium = loadConsortium();
      console.log(portsTable(consortium, topologyOf(consortium, { workDir: '.', orderers: ordererCount(values.orderers) })));
      return;
    }
    case 'hosts': {
      for (const host of hostNamesOf(topologyOf(loadConsortium(), { workDir: '.', orderers: ordererCount(values.orderers) }))) console.log(host);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
