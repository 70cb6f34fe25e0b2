import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const scripts = [
  'scripts/network.sh',
  'network/fabric/ccaas-builder/bin/detect',
  'network/fabric/ccaas-builder/bin/build',
  'network/fabric/ccaas-builder/bin/release',
].map((s) => path.join(repo, s));

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('operator shell scripts', () => {
  it.each(scripts)('%s parses (bash -n)', (script) => {
    execFileSync('bash', ['-n', script]);
  });

  (hasShellcheck ? it.each(scripts) : it.skip.each(scripts))('%s passes shellcheck', (script) => {
    execFileSync('shellcheck', [script], { encoding: 'utf8' });
  });

  if (!hasShellcheck) {
    it('reports that shellcheck was skipped', () => {
      console.warn('shellcheck is not installed: shell scripts were checked with bash -n only (apt-get install shellcheck)');
    });
  }

  it('network.sh fails at once, saying what to install, when Fabric binaries are missing', () => {
    const result = spawnSync('bash', [scripts[0]!, 'up'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', FABRIC_BIN: '/nonexistent' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Missing tools: peer configtxgen osnadmin orderer');
    expect(result.stderr).toContain('install-fabric.sh');
  });
});
