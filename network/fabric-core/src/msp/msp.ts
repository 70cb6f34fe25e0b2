import 'reflect-metadata'; // @peculiar/x509's ASN.1 schemas need it loaded first
import * as x509 from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import { sha256 } from '../crypto';
import { canonicalCertificate } from './canonical';
import { DEFAULT_NODE_OUS, type MspConfig, type NodeOUs } from './config';
import { RevocationList } from './crl';
import { MspError } from './errors';

/** The NodeOU roles Fabric distinguishes. */
export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';
const NODE_ROLES: NodeRole[] = ['client', 'peer', 'admin', 'orderer'];

/** Chains longer than this are refused (and loops between intermediates cannot recurse forever). */
const MAX_CHAIN = 8;

interface Authority {
  cert: X509Certificate;
  root: boolean;
  /** Subject key identifier (hex, lower case), for matching CRLs by their authority key id. */
  keyId: string | undefined;
}

function parseAuthority(pem: string, root: boolean, mspId: string): Authority {
  try {
    const keyId = new x509.X509Certificate(pem).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId.toLowerCase();
    return { cert: new X509Certificate(pem), root, keyId };
  } catch (err) {
    throw new MspError('config', `could not parse CA certificate of MSP ${mspId}: ${(err as Error).message}`);
  }
}

/**
 * The verifying part of one organisation's X.509 MSP (Fabric's `bccspmsp`): certificate chains
 * to the configured roots, CRLs, NodeOU classification, admins. No validity-period check: Fabric
 * verifies chains as of the leaf's `notBefore`, so expired certificates still validate.
 */
export class Msp {
  readonly mspId: string;
  readonly nodeOUs: NodeOUs | false;
  private readonly authorities: Authority[];
  /** CAs that certify other CAs of this MSP: Fabric refuses identities they issue directly. */
  private readonly internalNodes: Set<Authority>;
  private readonly admins: Buffer[];
  private readonly crls: RevocationList[];
  /** Certifier identifiers of pinned NodeOUs, by OU value. */
  private readonly certifiers = new Map<string, string>();

  constructor(readonly config: MspConfig) {
    this.mspId = config.mspId;
    if (config.rootCerts.length === 0) throw new MspError('config', `expected at least one CA certificate for MSP ${config.mspId}`);
    this.authorities = [
      ...config.rootCerts.map((pem) => parseAuthority(pem, true, config.mspId)),
      ...(config.intermediateCerts ?? []).map((pem) => parseAuthority(pem, false, config.mspId)),
    ];
    this.internalNodes = new Set(
      this.authorities.filter((a) => !a.root).flatMap((inter) => this.authorities.filter((parent) => parent !== inter && issuedBy(inter.cert, parent.cert))),
    );
    this.admins = (config.adminCerts ?? []).map((pem) => {
      const cert = new X509Certificate(pem);
      const issuer = this.authorities.find((a) => issuedBy(cert, a.cert))?.cert ?? cert;
      return canonicalCertificate(cert, issuer);
    });
    this.crls = (config.crls ?? []).map((pem) => new RevocationList(pem));
    this.nodeOUs = config.nodeOUs ?? DEFAULT_NODE_OUS;
    if (this.nodeOUs !== false) {
      for (const role of NODE_ROLES) {
        const pinned = this.nodeOUs[role].certifier;
        if (pinned !== undefined) this.certifiers.set(this.nodeOUs[role].ou, this.certifierOf(pinned));
      }
    }
  }

  /**
   * The unique chain leaf → … → root (leaf first). Throws with Fabric's texts when there is none
   * or more than one; `stage` says whether this happens while deserializing or validating.
   */
  chain(cert: X509Certificate, stage: 'deserialize' | 'validate'): X509Certificate[] {
    const chains = this.chainsFrom(cert, [cert]);
    if (chains.length === 0) throw new MspError(stage, 'the supplied identity is not valid: x509: certificate signed by unknown authority');
    if (chains.length > 1) throw new MspError(stage, `this MSP only supports a single validation chain, got ${chains.length}`);
    const chain = chains[0] ?? [];
    const parent = this.authorities.find((a) => a.cert === chain[1]);
    if (parent && this.internalNodes.has(parent)) {
      throw new MspError(stage, 'invalid validation chain. Parent certificate should be a leaf of the certification tree');
    }
    return chain;
  }

  private chainsFrom(cert: X509Certificate, path: X509Certificate[]): X509Certificate[][] {
    if (path.length > MAX_CHAIN) return [];
    const found: X509Certificate[][] = [];
    for (const authority of this.authorities) {
      if (path.includes(authority.cert) || !issuedBy(cert, authority.cert)) continue;
      const extended = [...path, authority.cert];
      if (authority.root) found.push(extended);
      else found.push(...this.chainsFrom(authority.cert, extended));
    }
    return found;
  }

  /** Fabric's certifiers identifier: SHA-256 over the DER of the chain above the leaf (hex). */
  certifiersIdentifier(chain: X509Certificate[]): string {
    return sha256(...chain.slice(1).map((c) => c.raw)).toString('hex');
  }

  private certifierOf(pem: string): string {
    const cert = new X509Certificate(pem);
    const authority = this.authorities.find((a) => a.cert.raw.equals(cert.raw));
    if (!authority) throw new MspError('config', `NodeOU certifier of MSP ${this.mspId} is not one of its CA certificates`);
    const chain = authority.root ? [cert] : (this.chainsFrom(authority.cert, [authority.cert])[0] ?? [cert]);
    return sha256(...chain.map((c) => c.raw)).toString('hex');
  }

  /** True when a CRL issued by the leaf's CA lists the leaf's serial number. */
  revoked(chain: X509Certificate[]): boolean {
    const [leaf, issuer] = chain;
    if (!leaf || !issuer) return false;
    const keyId = this.authorities.find((a) => a.cert === issuer)?.keyId;
    return this.crls.some((crl) => (crl.authorityKeyId === undefined || crl.authorityKeyId === keyId) && crl.revokes(leaf.serialNumber) && crl.signedBy(issuer));
  }

  /**
   * The identity's NodeOU role; throws Fabric's texts unless exactly one of the four OUs is
   * present (with a matching certifier when pinned). Undefined when NodeOUs are disabled.
   */
  nodeRole(ous: string[], certifiersId: string): NodeRole | undefined {
    const nodeOUs = this.nodeOUs;
    if (nodeOUs === false) return undefined;
    const listed = `[${ous.map((ou) => `${ou}(${certifiersId.slice(0, 16).toUpperCase()})`).join(' ')}]`;
    const roles: NodeRole[] = [];
    for (const ou of ous) {
      const role = NODE_ROLES.find((r) => nodeOUs[r].ou === ou);
      if (!role) continue;
      const pinned = this.certifiers.get(ou);
      if (pinned !== undefined && pinned !== certifiersId) {
        throw new MspError('validate', `could not validate identity's OUs: certifiersIdentifier does not match: ${listed}, MSP: [${this.mspId}]`);
      }
      roles.push(role);
    }
    if (roles.length === 0) {
      throw new MspError('validate', `could not validate identity's OUs: the identity does not have an OU that resolves to client, peer, orderer, or admin role. OUs: ${listed}, MSP: [${this.mspId}]`);
    }
    if (roles.length > 1) {
      throw new MspError('validate', `could not validate identity's OUs: the identity must be a client, a peer, an orderer or an admin identity to be valid, not a combination of them. OUs: ${listed}, MSP: [${this.mspId}]`);
    }
    return roles[0];
  }

  /** True when the (canonical) certificate DER is one of the MSP's explicit admin certificates. */
  isAdminCertificate(canonicalDer: Buffer): boolean {
    return this.admins.some((raw) => raw.equals(canonicalDer));
  }
}

/** Name chaining, key usage (keyCertSign), CA flag and signature of `issuer` over `cert`. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}
