/**
 * The generator as scripts/network.sh runs it: the BUILT cli (network/dist/fabric/cli.js), not
 * the sources under ts-jest. Paths derived from __dirname differ between the two, and a wrong
 * one only shows when a peer cannot find its chaincode builder at install time.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { X509Certificate } from 'node:crypto';

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'network', 'dist', 'fabric', 'cli.js');

// Generated configs are untyped YAML trees; tests navigate them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dict = Record<string, any>;

describe('the built generator (network/dist/fabric/cli.js)', () => {
  let dir: string;
  let work: string;

  beforeAll(() => {
    // Incremental: a no-op when `npm test` has just built; makes `npx jest` alone test fresh code.
    execFileSync(path.join(repo, 'node_modules', '.bin', 'tsc'), ['-b', path.join(repo, 'network')], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'hl-built-'));
    const cfg = path.join(dir, 'release-config');
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'core.yaml'), 'peer:\n  id: jdoe\nvm:\n  endpoint: unix:///var/run/docker.sock\nchaincode:\n  externalBuilders: []\n');
    writeFileSync(path.join(cfg, 'orderer.yaml'), 'General:\n  ListenPort: 7050\n');
    work = path.join(dir, 'work');
    execFileSync('node', [cli, 'generate', '--work-dir', work, '--orderers', '3', '--fabric-cfg', cfg], { encoding: 'utf8' });
  }, 120000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const peerConfigs = (): Dict[] => {
    const env = readFileSync(path.join(work, 'network.env'), 'utf8');
    const dirs = /^PEER_CONFIG=\((.*)\)$/m.exec(env)![1]!.split(' ').map((q) => q.slice(1, -1));
    expect(dirs).toHaveLength(6);
    return dirs.map((d) => parse(readFileSync(path.join(d, 'core.yaml'), 'utf8')));
  };

  it("names the project's ccaas builder at a path that exists, with executable detect/build/release", () => {
    for (const core of peerConfigs()) {
      const builders = core.chaincode.externalBuilders as Dict[];
      expect(builders).toHaveLength(1);
      const builder = builders[0]!.path as string;
      expect(builder).toBe(path.join(repo, 'network', 'fabric', 'ccaas-builder'));
      for (const script of ['detect', 'build', 'release']) {
        expect(() => accessSync(path.join(builder, 'bin', script), constants.X_OK)).not.toThrow();
      }
    }
  });

  it('turns the Docker endpoint off natively, so /healthz has no failing docker check', () => {
    for (const core of peerConfigs()) expect(core.vm.endpoint).toBe('');
  });

  it('issues an orderer identity and TLS certificate for every Raft node', () => {
    for (const host of ['orderer.example.com', 'orderer2.example.com', 'orderer3.example.com']) {
      const config = parse(readFileSync(path.join(work, 'config', host, 'orderer.yaml'), 'utf8')) as Dict;
      const msp = config.General.LocalMSPDir as string;
      const cert = new X509Certificate(readFileSync(path.join(msp, 'signcerts', 'cert.pem')));
      expect(cert.subject).toContain(`CN=${host}`);
      expect(cert.subject).toContain('OU=orderer');
      expect(new X509Certificate(readFileSync(config.General.TLS.Certificate)).subjectAltName).toContain(`DNS:${host}`);
      expect(existsSync(config.General.TLS.PrivateKey)).toBe(true);
    }
  });

  it('prints the ports table that docs/operations.md shows', () => {
    const table = execFileSync('node', [cli, 'ports', '--orderers', '3'], { encoding: 'utf8' }).trim();
    expect(readFileSync(path.join(repo, 'docs', 'operations.md'), 'utf8')).toContain(table);
  });
});
