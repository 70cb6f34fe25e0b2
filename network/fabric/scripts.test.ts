import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const networkSh = path.join(repo, 'scripts/network.sh');
const libs = ['scripts/lib/network-steps.sh', 'scripts/lib/network-chaincode.sh'].map((s) => path.join(repo, s));
const netnsSh = path.join(repo, 'scripts/netns-hosts.sh');
const scripts = [
  networkSh,
  netnsSh,
  'network/fabric/ccaas-builder/bin/detect',
  'network/fabric/ccaas-builder/bin/build',
  'network/fabric/ccaas-builder/bin/release',
].map((s) => path.resolve(repo, s));

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/** A directory of fake Fabric binaries (shell scripts), for driving network.sh without Fabric. */
function fakeBin(dir: string, tools: Record<string, string>): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  return bin;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port nothing listens on right now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('operator shell scripts', () => {
  it.each([...scripts, ...libs])('%s parses (bash -n)', (script) => {
    execFileSync('bash', ['-n', script]);
  });

  // -x follows network.sh into its lib/ files, which are checked in its context.
  (hasShellcheck ? it.each(scripts) : it.skip.each(scripts))('%s passes shellcheck', (script) => {
    execFileSync('shellcheck', ['-x', script], { encoding: 'utf8' });
  });

  if (!hasShellcheck) {
    it('reports that shellcheck was skipped', () => {
      console.warn('shellcheck is not installed: shell scripts were checked with bash -n only (apt-get install shellcheck)');
    });
  }

  it('network.sh fails at once, naming FABRIC_BIN and FABRIC_CFG_PATH, when Fabric binaries are missing', () => {
    const result = spawnSync('bash', [networkSh, 'up'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', FABRIC_BIN: '/nonexistent' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Missing tools: peer configtxgen osnadmin orderer');
    expect(result.stderr).toContain('set FABRIC_BIN to its bin/ directory');
    expect(result.stderr).toContain('FABRIC_CFG_PATH to its config directory');
    expect(result.stderr).not.toMatch(/curl|install-fabric/);
  });

  it('network.sh refuses --netns without a hosts file, and a hosts file that does not exist', () => {
    const env = { ...process.env, FABRIC_BIN: '/nonexistent', HEALTHLEDGER_FABRIC_DIR: path.join(tmpdir(), 'hl-never-created') };
    const noFile = spawnSync('bash', [networkSh, 'up', '--hosts', '/nonexistent/hosts'], { encoding: 'utf8', env });
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toContain('--hosts: no such file: /nonexistent/hosts');
    const bin = mkdtempSync(path.join(tmpdir(), 'hl-bin-'));
    try {
      for (const tool of ['peer', 'orderer', 'configtxgen', 'osnadmin']) writeFileSync(path.join(bin, tool), '#!/bin/sh\n', { mode: 0o755 });
      writeFileSync(path.join(bin, 'core.yaml'), '');
      const netnsAlone = spawnSync('bash', [networkSh, 'up', '--netns'], { encoding: 'utf8', env: { ...env, FABRIC_BIN: bin, FABRIC_CFG_PATH: bin } });
      expect(netnsAlone.status).toBe(1);
      expect(netnsAlone.stderr).toContain('--netns needs --hosts FILE');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('netns-hosts.sh says how it is used, and destroys nothing it did not create', () => {
    expect(spawnSync('bash', [netnsSh, '--help'], { encoding: 'utf8' }).stdout).toContain('scripts/netns-hosts.sh create [--orderers N]');
    const destroy = spawnSync('bash', [netnsSh, 'destroy', '--file', path.join(tmpdir(), 'hl-no-such.hosts')], { encoding: 'utf8' });
    expect(destroy.status).toBe(1);
    expect(destroy.stderr).toMatch(/nothing created|need root/);
  });

  describe("network.sh gateway: each organisation's gateway on its own host", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'hl-gw-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A work directory as 'up --hosts' leaves it, reduced to what the gateway command reads: the
     * network.env arrays and one gateway env file (a peer that is never dialled, no identities).
     */
    function network(address: string | undefined): NodeJS.ProcessEnv {
      const work = path.join(dir, 'work');
      mkdirSync(path.join(work, 'gateway'), { recursive: true });
      mkdirSync(path.join(dir, 'users'));
      const quoted = (values: string[]) => `(${values.map((v) => `'${v}'`).join(' ')})`;
      const gateways = address === undefined ? [] : ['gateway.hospital1.example.com'];
      writeFileSync(
        path.join(work, 'network.env'),
        [
          `GATEWAY_HOSTS=${quoted(gateways)}`,
          `GATEWAY_MSPIDS=${quoted(address === undefined ? [] : ['Hospital1MSP'])}`,
          `GATEWAY_ADDRESSES=${quoted(address === undefined ? [] : [address])}`,
          `GATEWAY_DATA=${quoted(address === undefined ? [] : [path.join(work, 'data', gateways[0]!)])}`,
          '',
        ].join('\n'),
      );
      const [host, port] = (address ?? '127.0.0.1:0').split(':');
      writeFileSync(
        path.join(work, 'gateway', 'Hospital1MSP.env'),
        `FABRIC_PEER_ENDPOINT=127.0.0.1:1\nFABRIC_MSP_ID=Hospital1MSP\nFABRIC_IDENTITY_DIR=${path.join(dir, 'users')}\nHOST=${host}\nPORT=${port}\n`,
      );
      return { PATH: process.env.PATH, HOME: process.env.HOME, HEALTHLEDGER_FABRIC_DIR: work, LOG_LEVEL: 'warn' };
    }

    it('is only for several hosts, and names the organisations it knows', () => {
      const onOneMachine = spawnSync('bash', [networkSh, 'gateway', 'start'], { encoding: 'utf8', env: network(undefined) });
      expect(onOneMachine.status).toBe(1);
      expect(onOneMachine.stderr).toContain('bring the network up with --hosts FILE (gateway.<org domain> entries)');
    });

    it('rejects a missing action, an unknown organisation and an action for another command', async () => {
      const env = network(`127.0.0.1:${await freePort()}`);
      expect(spawnSync('bash', [networkSh, 'gateway'], { encoding: 'utf8', env }).stderr).toContain('Usage: scripts/network.sh gateway start|stop [--org MSP]');
      const unknown = spawnSync('bash', [networkSh, 'gateway', 'stop', '--org', 'NoSuchMSP'], { encoding: 'utf8', env });
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('--org NoSuchMSP: no such organisation (one of: Hospital1MSP)');
      expect(spawnSync('bash', [networkSh, 'deploy', 'start'], { encoding: 'utf8', env }).stderr).toContain('Unknown argument: start');
    });

    it('fails at once, with the log tail, when the gateway refuses to start (no auth source)', async () => {
      const env = network(`127.0.0.1:${await freePort()}`);
      const result = spawnSync('bash', [networkSh, 'gateway', 'start'], { encoding: 'utf8', env });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('FAILED at step: Starting the gateway of Hospital1MSP');
      expect(result.stderr).toMatch(/gateway\.hospital1\.example\.com \(pid \d+\) exited before opening 127\.0\.0\.1:\d+/);
      expect(result.stderr).toContain('HEALTHLEDGER_JWT_SECRET');
    }, 60000);

    it('starts the gateway on the address its env file names, with its own data directory, and stops it', async () => {
      const address = `127.0.0.1:${await freePort()}`;
      const env: NodeJS.ProcessEnv = { ...network(address), HEALTHLEDGER_JWT_SECRET: 'test-secret-of-at-least-32-bytes-000000' };
      const work = env.HEALTHLEDGER_FABRIC_DIR!;
      const pidFile = path.join(work, 'pids', 'gateway.hospital1.example.com.pid');
      try {
        const start = spawnSync('bash', [networkSh, 'gateway', 'start', '--org', 'Hospital1MSP'], { encoding: 'utf8', env });
        expect(start.stderr).toBe('');
        expect(start.status).toBe(0);
        expect(start.stdout).toContain(`Gateway of Hospital1MSP: http://${address}`);
        // Its API description: no identity is needed to serve it (the test gives the gateway none).
        const res = await fetch(`http://${address}/docs/json`);
        expect(res.status).toBe(200);
        expect(existsSync(path.join(work, 'data', 'gateway.hospital1.example.com'))).toBe(true);
        const again = spawnSync('bash', [networkSh, 'gateway', 'start'], { encoding: 'utf8', env });
        expect(again.stdout).toContain('The gateway of Hospital1MSP already runs');
        const pid = Number(readFileSync(pidFile, 'utf8'));
        const stop = spawnSync('bash', [networkSh, 'gateway', 'stop'], { encoding: 'utf8', env });
        expect(stop.status).toBe(0);
        expect(alive(pid)).toBe(false);
        expect(existsSync(pidFile)).toBe(false);
        expect(spawnSync('bash', [networkSh, 'gateway', 'stop'], { encoding: 'utf8', env }).stdout).toContain('is not running');
      } finally {
        if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      }
    }, 60000);
  });

  describe('with fake Fabric binaries', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'hl-script-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs install_package from the lifecycle library against a fake `peer`. */
    function install(packageId: string, installError: string, installed: string): ReturnType<typeof spawnSync> {
      const bin = fakeBin(dir, {
        peer: `case "$1 $2 $3" in
  "lifecycle chaincode install") echo "Error: chaincode install failed with status: 500 - ${installError}" >&2; exit 1 ;;
  "lifecycle chaincode queryinstalled") printf 'Installed chaincodes on peer:\\n${installed}' ;;
esac`,
      });
      const program = `set -Eeuo pipefail
ROOT=${repo}; WORK=${dir}; MODE=native; START_TIME=$(date +%s); CURRENT_STEP=""; CURRENT_LOG=""; STOP_ON_FAILURE=0
source ${libs[0]}; source ${libs[1]}
PEER_HOSTS=(peer0.org1.example.com); PEER_MSPIDS=(Org1MSP); PEER_ADMIN_MSPS=(/m); PEER_ADDRESSES=(localhost:7051); PEER_TLS_CAS=(/ca); RELEASE_CFG=/cfg
install_package 0 pkg.tar.gz '${packageId}' ${dir}/lifecycle.log`;
      return spawnSync('bash', ['-c', program], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    }

    it('accepts a refused install only when the peer already has that very package id', () => {
      const listing = 'Package ID: healthledger_1.0:abc, Label: healthledger_1.0\\n';
      const again = install('healthledger_1.0:abc', "chaincode already successfully installed (package ID 'healthledger_1.0:abc')", listing);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('peer0.org1.example.com already has healthledger_1.0:abc');
      expect(install('healthledger_1.0:ab', 'failed to invoke backing implementation', listing).status).toBe(1);
      expect(install('healthledger_1.1:def', 'could not build chaincode: external builder failed', listing).status).toBe(1);
      expect(readFileSync(path.join(dir, 'lifecycle.log'), 'utf8')).toContain('external builder failed');
    });

    it('a failed up names the step, shows the log tail and stops what it started', async () => {
      if ((await portInUse(7050)) || (await portInUse(7051))) {
        console.warn('skipped: a network is running on this machine (ports 7050/7051 in use)');
        return;
      }
      const bin = fakeBin(dir, {
        orderer: 'echo "panic: fake orderer has no identity" >&2; exit 2',
        peer: '[ "$1 $2" = "node start" ] && exec sleep 600; exit 0',
        configtxgen: 'exit 0',
        osnadmin: 'exit 0',
      });
      const cfg = path.join(dir, 'config');
      mkdirSync(cfg);
      writeFileSync(path.join(cfg, 'core.yaml'), 'peer:\n  id: jdoe\n');
      writeFileSync(path.join(cfg, 'orderer.yaml'), 'General:\n  ListenPort: 7050\n');
      const work = path.join(dir, 'work');
      const result = spawnSync('bash', [networkSh, 'up'], {
        encoding: 'utf8',
        env: { ...process.env, FABRIC_BIN: bin, FABRIC_CFG_PATH: cfg, HEALTHLEDGER_FABRIC_DIR: work },
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('FAILED at step: Waiting for orderer.example.com to listen');
      expect(result.stderr).toMatch(/orderer\.example\.com \(pid \d+\) exited before opening localhost:7053/);
      expect(result.stderr).toContain(`Log: ${work}/logs/orderer.example.com.log`);
      expect(result.stderr).toContain('panic: fake orderer has no identity');
      expect(result.stderr).toContain('Stopping the processes this run started');
      const pids = readdirSync(path.join(work, 'pids')).map((f) => Number(readFileSync(path.join(work, 'pids', f), 'utf8')));
      expect(pids.length).toBeGreaterThan(1);
      for (const pid of pids) expect(alive(pid)).toBe(false);
      expect(existsSync(path.join(work, 'logs', 'peer0.hospital1.example.com.log'))).toBe(true);
    }, 120000);
  });
});
