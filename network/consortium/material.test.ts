import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as tls from 'node:tls';
import * as os from 'node:os';
import * as path from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { ClientIdentity } from 'fabric-shim';
import { loadConsortium, type Consortium } from './index';
import { verifySignature } from '@healthledger/fabric-core/crypto';
import { generateMaterial, loadMaterial, MaterialError, type Material } from '@healthledger/fabric-core/pki';

const tmpRoots: string[] = [];
function tmpDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hl-pki-'));
  tmpRoots.push(dir);
  return dir;
}
afterAll(() => tmpRoots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Everything that identifies a tree's contents, for before/after comparisons. */
function fingerprint(m: Material): string[] {
  const ids = [m.orderer.identity, m.orderer.admin, ...m.orgs.flatMap((o) => [o.admin, ...o.peers.map((p) => p.identity), ...o.users.map((u) => u.identity)])];
  return [
    ...ids.map((id) => `${id.mspId}|${id.certPem}|${id.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()}|${Buffer.from(id.serialized).toString('hex')}`),
    ...m.orgs.flatMap((o) => [o.caCertPem, o.tlsCaCertPem, ...o.peers.map((p) => p.tlsCertPem + p.tlsKeyPem)]),
    m.orderer.tlsCertPem,
  ];
}

function creatorIdentity(certPem: string, mspId: string): ClientIdentity {
  const stub = { getChannelID: () => 'healthchannel', getTxID: () => 'tx1', getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(certPem) }) };
  // fabric-shim types the constructor for a full ChaincodeStub; ClientIdentity only reads these three members.
  return new ClientIdentity(stub as unknown as ConstructorParameters<typeof ClientIdentity>[0]);
}

describe('generateMaterial with the default consortium', () => {
  const consortium = loadConsortium();
  let root: string;
  let first: Material;
  const progress: string[] = [];

  beforeAll(async () => {
    root = path.join(tmpDir(), 'organizations');
    first = await generateMaterial(consortium, root, { onProgress: (line) => progress.push(line) });
  }, 60_000);

  it('reports progress while issuing', () => {
    expect(progress).toContain('created CA ca.hospital1.example.com');
    expect(progress).toContain('issued patient1@hospital1.example.com (client) in Hospital1MSP');
    expect(progress).toContain('issued peer0.hospital1.example.com (TLS)');
  });

  it('writes the test-network tree', () => {
    const org = path.join(root, 'peerOrganizations', 'hospital1.example.com');
    for (const rel of [
      'ca/ca.hospital1.example.com-cert.pem',
      'ca/priv_sk',
      'tlsca/tlsca.hospital1.example.com-cert.pem',
      'msp/cacerts/ca.hospital1.example.com-cert.pem',
      'msp/tlscacerts/tlsca.hospital1.example.com-cert.pem',
      'msp/config.yaml',
      'peers/peer0.hospital1.example.com/msp/signcerts/cert.pem',
      'peers/peer0.hospital1.example.com/msp/keystore/priv_sk',
      'peers/peer0.hospital1.example.com/msp/cacerts/ca.hospital1.example.com-cert.pem',
      'peers/peer0.hospital1.example.com/msp/config.yaml',
      'peers/peer0.hospital1.example.com/tls/ca.crt',
      'peers/peer0.hospital1.example.com/tls/server.crt',
      'peers/peer0.hospital1.example.com/tls/server.key',
      'users/Admin@hospital1.example.com/msp/signcerts/cert.pem',
      'users/clinician1@hospital1.example.com/msp/keystore/priv_sk',
    ]) {
      expect(existsSync(path.join(org, rel))).toBe(true);
    }
    const orderer = path.join(root, 'ordererOrganizations', 'example.com');
    expect(existsSync(path.join(orderer, 'orderers/orderer.example.com/tls/server.crt'))).toBe(true);
    expect(existsSync(path.join(orderer, 'msp/config.yaml'))).toBe(true);
    const config = readFileSync(path.join(org, 'msp/config.yaml'), 'utf8');
    expect(config).toContain('Enable: true');
    expect(config).toContain('Certificate: cacerts/ca.hospital1.example.com-cert.pem\n    OrganizationalUnitIdentifier: orderer');
    expect(readFileSync(path.join(org, 'users/Admin@hospital1.example.com/msp/keystore/priv_sk'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('issues identities with the right NodeOU, chained to the org CA', () => {
    const org = first.orgs.find((o) => o.mspId === 'Hospital1MSP')!;
    const ca = new X509Certificate(org.caCertPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('C=US\nST=California\nL=San Francisco\nO=hospital1.example.com\nCN=ca.hospital1.example.com');
    const cases: Array<[string, string]> = [
      [org.admin.certPem, 'OU=admin\nCN=Admin@hospital1.example.com'],
      [org.peers[0]!.identity.certPem, 'OU=peer\nCN=peer0.hospital1.example.com'],
      [org.users.find((u) => u.name === 'clinician1')!.identity.certPem, 'OU=client\nCN=clinician1@hospital1.example.com'],
    ];
    for (const [pem, tail] of cases) {
      const cert = new X509Certificate(pem);
      expect(cert.subject.endsWith(tail)).toBe(true);
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    }
    const ordererCert = new X509Certificate(first.orderer.identity.certPem);
    expect(ordererCert.subject.endsWith('OU=orderer\nCN=orderer.example.com')).toBe(true);
  });

  it('gives users Fabric CA attributes that fabric-shim ClientIdentity reads', () => {
    const org = first.orgs.find((o) => o.mspId === 'Hospital1MSP')!;
    const patient = org.users.find((u) => u.name === 'patient1')!;
    const id = creatorIdentity(patient.identity.certPem, 'Hospital1MSP');
    expect(id.getMSPID()).toBe('Hospital1MSP');
    expect(id.getAttributeValue('role')).toBe('patient');
    expect(id.getAttributeValue('patient_id')).toBe('pt-0c5f1a9e');
    expect(id.getAttributeValue('practitioner_id')).toBeNull();
    expect(id.getAttributeValue('hf.EnrollmentID')).toBe('patient1@hospital1.example.com');
    expect(id.getAttributeValue('hf.Type')).toBe('client');
    expect(id.getID()).toBe(
      'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=patient1@hospital1.example.com' +
        '::/C=US/ST=California/L=San Francisco/O=hospital1.example.com/CN=ca.hospital1.example.com',
    );
    const clinician = creatorIdentity(org.users.find((u) => u.name === 'clinician1')!.identity.certPem, 'Hospital1MSP');
    expect(clinician.getAttributeValue('practitioner_id')).toBe('prac-h1-0001');
    expect(patient.attrs).toEqual({ 'hf.EnrollmentID': 'patient1@hospital1.example.com', 'hf.Type': 'client', 'hf.Affiliation': '', role: 'patient', patient_id: 'pt-0c5f1a9e' });
  });

  it('builds signing identities whose serialized form and signatures are Fabric-shaped', () => {
    const user = first.orgs[1]!.users[0]!;
    const decoded = msp.SerializedIdentity.deserializeBinary(user.identity.serialized);
    expect(decoded.getMspid()).toBe('Hospital2MSP');
    expect(Buffer.from(decoded.getIdBytes_asU8()).toString()).toBe(user.identity.certPem);
    expect(user.identity.certPem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    const message = Buffer.from('hello');
    const pub = new X509Certificate(user.identity.certPem).publicKey;
    expect(() => verifySignature(pub, message, user.identity.sign(message))).not.toThrow();
    expect(readFileSync(user.certPath, 'utf8')).toBe(user.identity.certPem);
  });

  it('serves TLS for the peer host, localhost and 127.0.0.1 with the TLS CA', async () => {
    const peer = first.orgs[0]!.peers[0]!;
    const ca = readFileSync(peer.tlsCaCertPath);
    expect(ca.toString()).toBe(first.orgs[0]!.tlsCaCertPem);
    const server = tls.createServer({ cert: peer.tlsCertPem, key: peer.tlsKeyPem }, (socket) => socket.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      for (const servername of ['peer0.hospital1.example.com', 'localhost', undefined]) {
        const reply = await new Promise<string>((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, ca, ...(servername ? { servername } : {}) }, () => undefined);
          socket.once('data', (data) => resolve(data.toString()));
          socket.once('error', reject);
        });
        expect(reply).toBe('ok');
      }
      await expect(
        new Promise((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, ca: first.orgs[1]!.tlsCaCertPem, servername: 'localhost' }, () => resolve('connected'));
          socket.once('error', reject);
        }),
      ).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it('reloads an existing tree identically, issuing nothing', async () => {
    const lines: string[] = [];
    const again = await generateMaterial(consortium, root, { onProgress: (line) => lines.push(line) });
    expect(lines).toEqual([]);
    expect(fingerprint(again)).toEqual(fingerprint(first));
    expect(fingerprint(await loadMaterial(consortium, root))).toEqual(fingerprint(first));
  });
});

describe('generateMaterial on a changing tree', () => {
  const small: Consortium = {
    channel: 'ch',
    chaincode: { name: 'cc', version: '1.0', sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')", address: '127.0.0.1:9999' },
    orderer: { mspId: 'OrdererMSP', domain: 'example.com', port: 7050, batchTimeoutMs: 100, maxMessageCount: 10 },
    collections: [],
    organizations: [
      { mspId: 'Org1MSP', name: 'Org 1', kind: 'provider', domain: 'org1.example.com', peers: [{ name: 'peer0', port: 7051 }], users: [{ name: 'user1', role: 'clinician' }, { name: 'user2', role: 'billing' }] },
    ],
  };

  it('fails to load a missing tree with MaterialError', async () => {
    await expect(loadMaterial(small, tmpDir())).rejects.toThrow(MaterialError);
  });

  it('reissues exactly what is missing or stale', async () => {
    const root = tmpDir();
    const first = await generateMaterial(small, root);
    const user1 = first.orgs[0]!.users[0]!;

    unlinkSync(user1.keyPath);
    const lines: string[] = [];
    const changed: Consortium = { ...small, organizations: [{ ...small.organizations[0]!, users: [{ name: 'user1', role: 'clinician' }, { name: 'user2', role: 'adjudicator' }] }] };
    const second = await generateMaterial(changed, root, { onProgress: (l) => lines.push(l) });
    expect(lines.sort()).toEqual(['issued user1@org1.example.com (client) in Org1MSP', 'issued user2@org1.example.com (client) in Org1MSP']);
    expect(second.orgs[0]!.users[0]!.identity.certPem).not.toBe(user1.identity.certPem);
    expect(second.orgs[0]!.users[1]!.attrs['role']).toBe('adjudicator');
    expect(creatorIdentity(second.orgs[0]!.users[1]!.identity.certPem, 'Org1MSP').getAttributeValue('role')).toBe('adjudicator');
    expect(second.orgs[0]!.admin.certPem).toBe(first.orgs[0]!.admin.certPem);
  });

  it('does not reuse a key that does not belong to its certificate (crash between the two writes)', async () => {
    const root = tmpDir();
    const first = await generateMaterial(small, root);
    const [user1, user2] = first.orgs[0]!.users;
    writeFileSync(user1!.keyPath, readFileSync(user2!.keyPath));
    const lines: string[] = [];
    const second = await generateMaterial(small, root, { onProgress: (l) => lines.push(l) });
    expect(lines).toEqual(['issued user1@org1.example.com (client) in Org1MSP']);
    const fixed = second.orgs[0]!.users[0]!.identity;
    expect(() => verifySignature(new X509Certificate(fixed.certPem).publicKey, Buffer.from('m'), fixed.sign(Buffer.from('m')))).not.toThrow();
  });

  it('reissues every leaf when the CA is replaced', async () => {
    const root = tmpDir();
    const first = await generateMaterial(small, root);
    rmSync(path.join(root, 'peerOrganizations', 'org1.example.com', 'ca'), { recursive: true });
    const second = await generateMaterial(small, root);
    expect(second.orgs[0]!.caCertPem).not.toBe(first.orgs[0]!.caCertPem);
    const ca = new X509Certificate(second.orgs[0]!.caCertPem);
    for (const pem of [second.orgs[0]!.admin.certPem, ...second.orgs[0]!.users.map((u) => u.identity.certPem)]) {
      expect(new X509Certificate(pem).verify(ca.publicKey)).toBe(true);
    }
    // The TLS CA was untouched, so TLS material is reused.
    expect(second.orgs[0]!.peers[0]!.tlsCertPem).toBe(first.orgs[0]!.peers[0]!.tlsCertPem);
    expect(readFileSync(path.join(second.orgs[0]!.mspDir, 'cacerts', 'ca.org1.example.com-cert.pem'), 'utf8')).toBe(second.orgs[0]!.caCertPem);
  });

  it('adds peers beyond the consortium list when asked', async () => {
    const m = await generateMaterial(small, tmpDir(), { peersPerOrg: 2 });
    expect(m.orgs[0]!.peers.map((p) => [p.name, p.host, p.port])).toEqual([
      ['peer0', 'peer0.org1.example.com', 7051],
      ['peer1', 'peer1.org1.example.com', 7151],
    ]);
  });
});
