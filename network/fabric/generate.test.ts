import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConsortium } from '../consortium';
import { checkBuilder, generateNetwork } from './generate';
import { CCAAS_BUILDER_DIR } from './core';

const consortium = loadConsortium();

describe('generateNetwork', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hl-fabric-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes material, configtx, per-node configs over the release defaults, and env files', async () => {
    const cfg = path.join(dir, 'release-config');
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'core.yaml'), 'peer:\n  id: jdoe\n  keepalive:\n    interval: 7200s\nvm:\n  endpoint: unix:///var/run/docker.sock\n');
    writeFileSync(path.join(cfg, 'orderer.yaml'), 'General:\n  ListenPort: 7050\n  Keepalive:\n    ServerInterval: 7200s\n');
    const topology = await generateNetwork(consortium, { workDir: path.join(dir, 'work'), fabricCfg: cfg });

    const peer = topology.orgs[1]!.peers[0]!;
    const core = parse(readFileSync(path.join(peer.configDir, 'core.yaml'), 'utf8'));
    expect(core.peer.id).toBe('peer0.hospital2.example.com');
    expect(core.peer.keepalive.interval).toBe('7200s');
    expect(existsSync(path.join(core.peer.mspConfigPath, 'config.yaml'))).toBe(true);
    expect(existsSync(core.peer.tls.cert.file)).toBe(true);
    const orderer = parse(readFileSync(path.join(topology.orderers[0]!.configDir, 'orderer.yaml'), 'utf8'));
    expect(orderer.General.Keepalive.ServerInterval).toBe('7200s');
    expect(existsSync(orderer.General.TLS.Certificate)).toBe(true);
    const configtx = parse(readFileSync(path.join(dir, 'work', 'config', 'configtx', 'configtx.yaml'), 'utf8'));
    for (const org of configtx.Organizations) expect(existsSync(path.join(org.MSPDir, 'config.yaml')) || org.ID === 'OrdererMSP').toBe(true);
    const env = readFileSync(path.join(dir, 'work', 'gateway', 'InsurerMSP.env'), 'utf8');
    expect(env).toContain('FABRIC_MSP_ID=InsurerMSP');
    const identityDir = /FABRIC_IDENTITY_DIR=(.*)/.exec(env)![1]!;
    expect(existsSync(path.join(identityDir, 'adjudicator1@insurer.example.com', 'msp', 'signcerts', 'cert.pem'))).toBe(true);
    expect(readFileSync(path.join(dir, 'work', 'network.env'), 'utf8')).toContain("CHANNEL='healthchannel'");
  });

  it('refuses a ccaas builder that is missing or not executable', () => {
    expect(() => checkBuilder(CCAAS_BUILDER_DIR)).not.toThrow();
    mkdirSync(path.join(dir, 'builder', 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'builder', 'bin', 'detect'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'builder', 'bin', 'build'), '#!/bin/sh\n', { mode: 0o644 });
    expect(() => checkBuilder(path.join(dir, 'builder'))).toThrow(`${path.join(dir, 'builder', 'bin', 'build')} is missing or not executable`);
  });

  it('fails at once without the release defaults in native mode', async () => {
    await expect(generateNetwork(consortium, { workDir: path.join(dir, 'work'), fabricCfg: path.join(dir, 'nowhere') })).rejects.toThrow('core.yaml of the Fabric 2.5 release not found');
  });

  it('writes a compose file in Docker mode without needing release defaults', async () => {
    await generateNetwork(consortium, { workDir: path.join(dir, 'work'), docker: true });
    const compose = parse(readFileSync(path.join(dir, 'work', 'compose.yaml'), 'utf8'));
    expect(Object.keys(compose.services)).toContain('peer0.insurer.example.com');
  });
});
