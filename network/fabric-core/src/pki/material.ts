import 'reflect-metadata'; // @peculiar/x509's ASN.1 schemas need it loaded first
import * as x509 from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import * as path from 'node:path';
import { encodeAttributes, enrollmentAttributes, FABRIC_ATTRS_OID, type FabricCaType } from './attributes';
import { ensureFile, enrollmentFiles, SUBJECT_PREFIX, tlsFiles, writeMspRoots, type MspRoots } from './layout';
import { createSigningIdentity, type SigningIdentity } from './signing-identity';
import { AuthorityStore, ensureLeaf, type MaterialPass } from './store';
import type {
  Material,
  MaterialOptions,
  MaterialSpec,
  OrdererMaterial,
  OrdererSpec,
  OrganizationSpec,
  OrgMaterial,
  PeerMaterial,
  PeerSpec,
  UserMaterial,
  UserSpec,
} from './types';

/**
 * Loads the crypto material tree under `rootDir`, issuing whatever is missing or stale (a user
 * whose attributes changed in the consortium file, a leaf whose CA was replaced). Idempotent:
 * a complete tree is only read. Progress lines go to `opts.onProgress`.
 */
export async function generateMaterial(consortium: MaterialSpec, rootDir: string, opts: MaterialOptions = {}): Promise<Material> {
  const pass = { issue: true, progress: opts.onProgress ?? (() => undefined), tlsIpAddresses: opts.tlsIpAddresses };
  const issued = await material(consortium, rootDir, opts.peersPerOrg, pass);
  const extra = opts.extraOrdererHosts ?? [];
  if (extra.length > 0) {
    const def = consortium.orderer;
    const orgDir = path.join(issued.rootDir, 'ordererOrganizations', def.domain);
    const cas = await orgAuthorities(orgDir, def.domain, pass);
    await Promise.all(extra.map((host) => ordererNode(cas, orgDir, def.mspId, host, pass)));
  }
  return issued;
}

/** Loads an existing material tree; throws `MaterialError` if anything is missing or stale. */
export async function loadMaterial(consortium: MaterialSpec, rootDir: string, opts: Pick<MaterialOptions, 'peersPerOrg'> = {}): Promise<Material> {
  return material(consortium, rootDir, opts.peersPerOrg, { issue: false, progress: () => undefined });
}

async function material(consortium: MaterialSpec, rootDir: string, peersPerOrg: number | undefined, pass: MaterialPass): Promise<Material> {
  const root = path.resolve(rootDir);
  const [orderer, orgs] = await Promise.all([
    ordererMaterial(consortium.orderer, root, pass),
    Promise.all(consortium.organizations.map((org) => orgMaterial(org, root, peersPerOrg, pass))),
  ]);
  return { rootDir: root, orderer, orgs };
}

/** An organisation's two CAs and the root files every MSP directory of the org carries. */
interface OrgAuthorities {
  ca: AuthorityStore;
  tlsca: AuthorityStore;
  roots: MspRoots;
}

async function orgAuthorities(orgDir: string, domain: string, pass: MaterialPass): Promise<OrgAuthorities> {
  const caFileName = `ca.${domain}-cert.pem`;
  const tlsCaFileName = `tlsca.${domain}-cert.pem`;
  const [ca, tlsca] = await Promise.all([
    AuthorityStore.open(path.join(orgDir, 'ca'), caFileName, `${SUBJECT_PREFIX}, O=${domain}, CN=ca.${domain}`, pass),
    AuthorityStore.open(path.join(orgDir, 'tlsca'), tlsCaFileName, `${SUBJECT_PREFIX}, O=${domain}, CN=tlsca.${domain}`, pass),
  ]);
  const roots = { caFileName, caCertPem: ca.certPem, tlsCaFileName, tlsCaCertPem: tlsca.certPem };
  if (pass.issue) writeMspRoots(path.join(orgDir, 'msp'), roots);
  return { ca, tlsca, roots };
}

/**
 * True when the certificate carries exactly this attribute extension. DER is canonical, so the
 * encoded extension appears verbatim in the certificate iff it is present; this avoids a full
 * certificate parse per identity, which keeps start-up with existing material fast.
 */
function hasAttributes(certPem: string, attrs: Record<string, string>): boolean {
  const extension = Buffer.from(new x509.Extension(FABRIC_ATTRS_OID, false, encodeAttributes(attrs)).rawData);
  return new X509Certificate(certPem).raw.includes(extension);
}

/** True when the certificate's subject alternative names include every one of these IPs. */
function hasIpAddresses(certPem: string, ips: readonly string[]): boolean {
  const names = (new X509Certificate(certPem).subjectAltName ?? '').split(', ');
  return ips.every((ip) => names.includes(`IP Address:${ip}`));
}

interface Enrollment {
  identity: SigningIdentity;
  attrs: Record<string, string>;
  mspDir: string;
  certPath: string;
  keyPath: string;
}

/** An enrollment certificate as Fabric CA issues it: OU = node type, CN = enrollment id, hf.* attributes. */
async function enroll(cas: OrgAuthorities, mspDir: string, mspId: string, type: FabricCaType, enrollmentId: string, custom: Record<string, string>, pass: MaterialPass): Promise<Enrollment> {
  const attrs = enrollmentAttributes(enrollmentId, type, custom);
  const files = enrollmentFiles(mspDir);
  if (pass.issue) writeMspRoots(mspDir, cas.roots);
  const issued = await ensureLeaf(
    {
      ...files,
      label: `${enrollmentId} (${type}) in ${mspId}`,
      request: { usage: 'identity', subject: `${SUBJECT_PREFIX}, OU=${type}, CN=${enrollmentId}`, attributes: attrs },
      current: (pem) => hasAttributes(pem, attrs),
    },
    cas.ca,
    pass,
  );
  return { identity: createSigningIdentity(mspId, issued.certPem, issued.keyPem), attrs, mspDir, ...files };
}

interface NodeTls {
  tlsCertPem: string;
  tlsKeyPem: string;
  tlsCertPath: string;
  tlsKeyPath: string;
  tlsCaCertPath: string;
}

/**
 * A TLS server certificate valid for the node's host, its short name, localhost and 127.0.0.1,
 * plus any IP addresses the pass gives for the host (a certificate lacking one is reissued).
 */
async function nodeTls(cas: OrgAuthorities, nodeDir: string, host: string, pass: MaterialPass): Promise<NodeTls> {
  const files = tlsFiles(nodeDir);
  if (pass.issue) ensureFile(files.caPath, cas.roots.tlsCaCertPem);
  const shortName = host.split('.')[0] ?? host;
  const extraIps = pass.tlsIpAddresses?.[host] ?? [];
  const issued = await ensureLeaf(
    {
      certPath: files.certPath,
      keyPath: files.keyPath,
      label: `${host} (TLS)`,
      request: { usage: 'tls-server', subject: `${SUBJECT_PREFIX}, CN=${host}`, dnsNames: [host, shortName, 'localhost'], ipAddresses: ['127.0.0.1', ...extraIps] },
      current: extraIps.length === 0 ? undefined : (pem) => hasIpAddresses(pem, extraIps),
    },
    cas.tlsca,
    pass,
  );
  return { tlsCertPem: issued.certPem, tlsKeyPem: issued.keyPem, tlsCertPath: files.certPath, tlsKeyPath: files.keyPath, tlsCaCertPath: files.caPath };
}

/** The consortium's peers, cut or extended to `count` (extra peers `peerN`, ports 100 apart). */
function peerDefinitions(org: OrganizationSpec, count: number | undefined): readonly PeerSpec[] {
  const defined = org.peers;
  if (count === undefined) return defined;
  const base = defined[0]?.port ?? 7051;
  return Array.from({ length: count }, (_, i) => defined[i] ?? { name: `peer${i}`, port: base + 100 * i });
}

async function peerMaterial(cas: OrgAuthorities, orgDir: string, org: OrganizationSpec, def: PeerSpec, pass: MaterialPass): Promise<PeerMaterial> {
  const host = `${def.name}.${org.domain}`;
  const nodeDir = path.join(orgDir, 'peers', host);
  const [enrollment, tls] = await Promise.all([
    enroll(cas, path.join(nodeDir, 'msp'), org.mspId, 'peer', host, {}, pass),
    nodeTls(cas, nodeDir, host, pass),
  ]);
  return { name: def.name, host, port: def.port, identity: enrollment.identity, mspDir: enrollment.mspDir, ...tls };
}

function userAttributes(user: UserSpec): Record<string, string> {
  const attrs: Record<string, string> = { role: user.role };
  if (user.patientId !== undefined) attrs['patient_id'] = user.patientId;
  if (user.practitionerId !== undefined) attrs['practitioner_id'] = user.practitionerId;
  return attrs;
}

async function userMaterial(cas: OrgAuthorities, orgDir: string, org: OrganizationSpec, user: UserSpec, pass: MaterialPass): Promise<UserMaterial> {
  const enrollmentId = `${user.name}@${org.domain}`;
  const mspDir = path.join(orgDir, 'users', enrollmentId, 'msp');
  const e = await enroll(cas, mspDir, org.mspId, 'client', enrollmentId, userAttributes(user), pass);
  return { name: user.name, role: user.role, attrs: e.attrs, mspDir, certPath: e.certPath, keyPath: e.keyPath, identity: e.identity };
}

async function orgMaterial(org: OrganizationSpec, root: string, peersPerOrg: number | undefined, pass: MaterialPass): Promise<OrgMaterial> {
  const orgDir = path.join(root, 'peerOrganizations', org.domain);
  const cas = await orgAuthorities(orgDir, org.domain, pass);
  const adminId = `Admin@${org.domain}`;
  const [admin, peers, users] = await Promise.all([
    enroll(cas, path.join(orgDir, 'users', adminId, 'msp'), org.mspId, 'admin', adminId, {}, pass),
    Promise.all(peerDefinitions(org, peersPerOrg).map((def) => peerMaterial(cas, orgDir, org, def, pass))),
    Promise.all(org.users.map((user) => userMaterial(cas, orgDir, org, user, pass))),
  ]);
  return {
    mspId: org.mspId,
    domain: org.domain,
    kind: org.kind,
    orgDir,
    caCertPem: cas.ca.certPem,
    caCertPath: path.join(orgDir, 'msp', 'cacerts', cas.roots.caFileName),
    tlsCaCertPem: cas.tlsca.certPem,
    tlsCaCertPath: path.join(orgDir, 'msp', 'tlscacerts', cas.roots.tlsCaFileName),
    mspDir: path.join(orgDir, 'msp'),
    admin: admin.identity,
    adminMspDir: admin.mspDir,
    peers,
    users,
  };
}

/** One orderer node's enrollment and TLS certificate under `orderers/<host>`. */
function ordererNode(cas: OrgAuthorities, orgDir: string, mspId: string, host: string, pass: MaterialPass): Promise<[Enrollment, NodeTls]> {
  const nodeDir = path.join(orgDir, 'orderers', host);
  return Promise.all([enroll(cas, path.join(nodeDir, 'msp'), mspId, 'orderer', host, {}, pass), nodeTls(cas, nodeDir, host, pass)]);
}

async function ordererMaterial(def: OrdererSpec, root: string, pass: MaterialPass): Promise<OrdererMaterial> {
  const orgDir = path.join(root, 'ordererOrganizations', def.domain);
  const cas = await orgAuthorities(orgDir, def.domain, pass);
  const host = `orderer.${def.domain}`;
  const adminId = `Admin@${def.domain}`;
  const [[node, tls], admin] = await Promise.all([
    ordererNode(cas, orgDir, def.mspId, host, pass),
    enroll(cas, path.join(orgDir, 'users', adminId, 'msp'), def.mspId, 'admin', adminId, {}, pass),
  ]);
  return {
    mspId: def.mspId,
    domain: def.domain,
    host,
    port: def.port,
    orgDir,
    mspDir: path.join(orgDir, 'msp'),
    caCertPem: cas.ca.certPem,
    tlsCaCertPem: cas.tlsca.certPem,
    identity: node.identity,
    nodeMspDir: node.mspDir,
    admin: admin.identity,
    ...tls,
  };
}
