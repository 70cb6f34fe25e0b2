/**
 * `node network/dist/fabric/cli.js generate --work-dir DIR [--orderers N] [--docker] [--fabric-cfg DIR]`:
 * the file-generation step of scripts/network.sh.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConsortium } from '../consortium';
import { generateNetwork } from './generate';

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'work-dir': { type: 'string' },
      orderers: { type: 'string', default: '1' },
      docker: { type: 'boolean', default: false },
      'fabric-cfg': { type: 'string' },
    },
  });
  if (positionals[0] !== 'generate' || !values['work-dir']) {
    throw new Error('usage: cli.js generate --work-dir DIR [--orderers N] [--docker] [--fabric-cfg DIR]');
  }
  const orderers = Number(values.orderers);
  if (!Number.isInteger(orderers) || orderers < 1 || orderers > 9) throw new Error('--orderers must be 1 to 9');
  await generateNetwork(loadConsortium(), {
    workDir: path.resolve(values['work-dir']),
    orderers,
    docker: values.docker ?? false,
    fabricCfg: values['fabric-cfg'] ?? process.env.FABRIC_CFG_PATH,
    onProgress: (line) => console.log(`         ${line}`),
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
