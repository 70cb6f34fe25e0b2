import { createHash, X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import * as asn1js from 'asn1js';
import { flipS, toLowS } from '../crypto';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '../pki';
import { checkCreator, CreatorError, fromMspConfigProto, identityPrincipal, MspError, MspManager, organizationUnitPrincipal, rolePrincipal, toMspConfigProto, type MspConfig } from './index';

const PREFIX = 'C=US, ST=California, L=San Francisco';

async function issue(ca: CertificateAuthority, mspId: string, ous: string[], cn: string, validity: { notBefore?: Date; notAfter?: Date } = {}): Promise<SigningIdentity> {
  const subject = [PREFIX, ...ous.map((ou) => `OU=${ou}`), `CN=${cn}`].join(', ');
  const cert = await ca.issue({ usage: 'identity', subject, attributes: {}, ...validity });
  return createSigningIdentity(mspId, cert.certPem, cert.keyPem);
}

function serialize(mspId: string, certPem: string): Uint8Array {
  const sid = new msp.SerializedIdentity();
  sid.setMspid(mspId);
  sid.setIdBytes(Buffer.from(certPem));
  return sid.serializeBinary();
}

/** The same certificate with its (malleable) ECDSA signature s replaced by n − s. */
function withFlippedSignature(certPem: string, caPem: string): string {
  const parsed = asn1js.fromBER(new X509Certificate(certPem).raw).result as asn1js.Sequence;
  const [tbs, alg, sig] = parsed.valueBlock.value as [asn1js.Sequence, asn1js.Sequence, asn1js.BitString];
  const flipped = flipS(new X509Certificate(caPem).publicKey, sig.valueBlock.valueHexView);
  const der = new asn1js.Sequence({ value: [tbs, alg, new asn1js.BitString({ valueHex: flipped })] }).toBER(false);
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

function signatureIsLowS(certPem: string, caPem: string): boolean {
  const parsed = asn1js.fromBER(new X509Certificate(certPem).raw).result as asn1js.Sequence;
  const sig = (parsed.valueBlock.value[2] as asn1js.BitString).valueBlock.valueHexView;
  return toLowS(new X509Certificate(caPem).publicKey, sig)!.equals(Buffer.from(sig));
}

function stageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof MspError) return `${err.stage}: ${err.message}`;
    throw err;
  }
  return 'ok';
}

let org1: CertificateAuthority;
let org2: CertificateAuthority;
let manager: MspManager;
let client: SigningIdentity;
let peer: SigningIdentity;
let admin: SigningIdentity;
let orderer: SigningIdentity;
const message = Buffer.from('signed bytes');

beforeAll(async () => {
  org1 = await CertificateAuthority.create(`${PREFIX}, O=org1.example.com, CN=ca.org1.example.com`);
  org2 = await CertificateAuthority.create(`${PREFIX}, O=org2.example.com, CN=ca.org2.example.com`);
  manager = new MspManager([
    { mspId: 'Org1MSP', rootCerts: [org1.certPem] },
    { mspId: 'Org2MSP', rootCerts: [org2.certPem] },
  ]);
  [client, peer, admin, orderer] = await Promise.all([
    issue(org1, 'Org1MSP', ['client'], 'User1@org1.example.com'),
    issue(org1, 'Org1MSP', ['peer'], 'peer0.org1.example.com'),
    issue(org1, 'Org1MSP', ['admin'], 'Admin@org1.example.com'),
    issue(org1, 'Org1MSP', ['orderer'], 'orderer.org1.example.com'),
  ]);
});

describe('deserialize and validate', () => {
  it('reads a valid client identity', () => {
    const id = manager.deserialize(client.serialized);
    expect(id.mspId).toBe('Org1MSP');
    expect(id.ous).toEqual(['client']);
    expect(id.certPem).toBe(client.certPem);
    const low = [client.certPem, withFlippedSignature(client.certPem, org1.certPem)].find((pem) => signatureIsLowS(pem, org1.certPem))!;
    expect(id.uniqueKey).toBe('Org1MSP' + createHash('sha256').update(new X509Certificate(low).raw).digest('hex'));
    expect(() => id.validate()).not.toThrow();
    expect(id.isAdmin).toBe(false);
    expect(manager.deserialize(client.serialized)).toBe(id);
  });

  it('verifies signatures with the low-S rule', () => {
    const id = manager.deserialize(client.serialized);
    const sig = client.sign(message);
    expect(() => id.verify(message, sig)).not.toThrow();
    expect(stageOf(() => id.verify(Buffer.from('other'), sig))).toBe('verify: The signature is invalid');
    expect(stageOf(() => id.verify(message, peer.sign(message)))).toBe('verify: The signature is invalid');
    expect(stageOf(() => id.verify(message, flipS(client.privateKey, sig)))).toMatch(
      /^verify: could not determine the validity of the signature: Invalid S\. Must be smaller than half the order/,
    );
  });

  it("records a vouched signature as verified only when the vouching key is the identity's", () => {
    const id = manager.deserialize(peer.serialized);
    const vouched = Buffer.from('vouched bytes');
    // A signature by another key stands in for one verification would refuse.
    const foreign = client.sign(vouched);
    id.vouch(vouched, foreign, client.privateKey);
    expect(stageOf(() => id.verify(vouched, foreign))).toBe('verify: The signature is invalid');
    id.vouch(vouched, foreign, peer.privateKey);
    expect(stageOf(() => id.verify(vouched, foreign))).toBe('ok');
    // The record is for these bytes only.
    expect(stageOf(() => id.verify(Buffer.from('other bytes'), foreign))).toBe('verify: The signature is invalid');
  });

  it('rejects unknown MSPs, garbage and non-PEM bytes while deserializing', () => {
    expect(stageOf(() => manager.deserialize(serialize('Org9MSP', client.certPem)))).toBe('deserialize: MSP Org9MSP is unknown');
    expect(stageOf(() => manager.deserialize(serialize('Org1MSP', 'not a certificate')))).toBe('deserialize: could not decode the PEM structure');
    expect(stageOf(() => manager.deserialize(Buffer.from([0xff, 0xff, 0xff])))).toMatch(/^deserialize: could not deserialize a SerializedIdentity/);
  });

  it("rejects another org's certificate presented under this MSP as undeserializable (creator org unknown)", () => {
    expect(stageOf(() => manager.deserialize(serialize('Org2MSP', client.certPem)))).toBe(
      'deserialize: the supplied identity is not valid: x509: certificate signed by unknown authority',
    );
  });

  it('deserializes CA certificates but refuses them as identities', async () => {
    const own = manager.deserialize(serialize('Org1MSP', org1.certPem));
    const foreign = await CertificateAuthority.create(`${PREFIX}, O=org1.example.com, CN=ca.org1.example.com`);
    const selfSigned = manager.deserialize(serialize('Org1MSP', foreign.certPem));
    for (const id of [own, selfSigned]) {
      expect(stageOf(() => id.validate())).toBe(
        'validate: could not obtain certification chain: An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
      );
      expect(id.satisfies(rolePrincipal('Org1MSP', 'member'))).toBe(false);
    }
  });

  it('requires exactly one NodeOU', async () => {
    const none = await issue(org1, 'Org1MSP', ['department1'], 'nobody');
    const both = await issue(org1, 'Org1MSP', ['client', 'peer'], 'both');
    const extra = await issue(org1, 'Org1MSP', ['client', 'department1'], 'extra');
    expect(stageOf(() => manager.deserialize(none.serialized).validate())).toMatch(
      /^validate: could not validate identity's OUs: the identity does not have an OU that resolves to client, peer, orderer, or admin role\. OUs: \[department1\([0-9A-F]{16}\)\], MSP: \[Org1MSP\]$/,
    );
    expect(stageOf(() => manager.deserialize(both.serialized).validate())).toMatch(/not a combination of them/);
    expect(stageOf(() => manager.deserialize(extra.serialized).validate())).toBe('ok');
    const plain = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], nodeOUs: false }]);
    expect(stageOf(() => plain.deserialize(none.serialized).validate())).toBe('ok');
    expect(plain.deserialize(none.serialized).satisfies(rolePrincipal('Org1MSP', 'client'))).toBe(false);
  });

  it('does not enforce the validity period (expired and not-yet-valid certificates validate)', async () => {
    const expired = await issue(org1, 'Org1MSP', ['client'], 'old', { notBefore: new Date('2001-01-01'), notAfter: new Date('2002-01-01') });
    const future = await issue(org1, 'Org1MSP', ['client'], 'new', { notBefore: new Date('2090-01-01'), notAfter: new Date('2091-01-01') });
    expect(stageOf(() => manager.deserialize(expired.serialized).validate())).toBe('ok');
    expect(manager.deserialize(expired.serialized).expiresAt.toISOString()).toBe('2002-01-01T00:00:00.000Z');
    expect(stageOf(() => manager.deserialize(future.serialized).validate())).toBe('ok');
  });

  it('follows intermediate CAs and refuses leaves issued by an internal node', async () => {
    const inter = await org1.issueIntermediate(`${PREFIX}, O=org1.example.com, CN=ica.org1.example.com`);
    const withInter = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], intermediateCerts: [inter.certPem] }]);
    const viaInter = await issue(inter, 'Org1MSP', ['client'], 'u');
    const id = withInter.deserialize(viaInter.serialized);
    expect(stageOf(() => id.validate())).toBe('ok');
    expect(stageOf(() => withInter.deserialize(client.serialized))).toBe(
      'deserialize: invalid validation chain. Parent certificate should be a leaf of the certification tree',
    );
    // Without the intermediate in the MSP the chain cannot be built.
    expect(stageOf(() => manager.deserialize(viaInter.serialized))).toMatch(/certificate signed by unknown authority/);
  });

  it('honours CRLs of the issuing CA', async () => {
    const revoked = await issue(org1, 'Org1MSP', ['client'], 'revoked');
    const serial = new X509Certificate(revoked.certPem).serialNumber;
    const crl = await org1.issueCrl([serial]);
    const foreignCrl = await org2.issueCrl([serial]);
    const withCrl = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], crls: [crl] }]);
    expect(stageOf(() => withCrl.deserialize(revoked.serialized).validate())).toBe(
      'validate: could not validate identity against certification chain: The certificate has been revoked',
    );
    expect(stageOf(() => withCrl.deserialize(client.serialized).validate())).toBe('ok');
    const otherCrl = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], crls: [foreignCrl] }]);
    expect(stageOf(() => otherCrl.deserialize(revoked.serialized).validate())).toBe('ok');
  });

  it('reads a PEM CRL only under the X509 CRL label, as Fabric (x509.ParseCRL) does', async () => {
    const crl = await org1.issueCrl(['01']);
    expect(crl.startsWith('-----BEGIN X509 CRL-----\n')).toBe(true);
    const relabelled = crl.replace(/X509 CRL/g, 'CRL');
    expect(() => new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], crls: [relabelled] }])).toThrow(
      new MspError('config', 'could not parse RevocationList: not a PEM block labelled X509 CRL'),
    );
  });

  it('checks pinned NodeOU certifiers', async () => {
    const other = await CertificateAuthority.create(`${PREFIX}, O=other, CN=ca.other`);
    const pinned = (pem: string): MspConfig => ({
      mspId: 'Org1MSP',
      rootCerts: [org1.certPem, other.certPem],
      nodeOUs: { client: { ou: 'client', certifier: pem }, peer: { ou: 'peer' }, admin: { ou: 'admin' }, orderer: { ou: 'orderer' } },
    });
    expect(stageOf(() => new MspManager([pinned(org1.certPem)]).deserialize(client.serialized).validate())).toBe('ok');
    expect(stageOf(() => new MspManager([pinned(other.certPem)]).deserialize(client.serialized).validate())).toMatch(/certifiersIdentifier does not match/);
  });
});

describe('certificate malleability', () => {
  it('treats both signature forms of one certificate as one identity, as Fabric sanitizes them', () => {
    const twinPem = withFlippedSignature(client.certPem, org1.certPem);
    expect(twinPem).not.toBe(client.certPem);
    expect(new X509Certificate(twinPem).verify(new X509Certificate(org1.certPem).publicKey)).toBe(true);
    const original = manager.deserialize(client.serialized);
    const twin = manager.deserialize(serialize('Org1MSP', twinPem));
    expect(() => twin.validate()).not.toThrow();
    expect(twin.uniqueKey).toBe(original.uniqueKey);
    expect(twin.satisfies(identityPrincipal(client.serialized))).toBe(true);
    expect(original.satisfies(identityPrincipal(serialize('Org1MSP', twinPem)))).toBe(true);
    const listed = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], adminCerts: [twinPem] }]);
    expect(listed.deserialize(client.serialized).isAdmin).toBe(true);
  });
});

describe('principals', () => {
  it('evaluates ROLE principals by NodeOU, admin OU or admin list, and MSP', () => {
    const table: Array<[SigningIdentity, string[]]> = [
      [client, ['member', 'client']],
      [peer, ['member', 'peer']],
      [admin, ['member', 'admin']],
      [orderer, ['member', 'orderer']],
    ];
    for (const [signer, roles] of table) {
      const id = manager.deserialize(signer.serialized);
      for (const role of ['member', 'admin', 'client', 'peer', 'orderer'] as const) {
        expect([role, id.satisfies(rolePrincipal('Org1MSP', role))]).toEqual([role, roles.includes(role)]);
        expect(id.satisfies(rolePrincipal('Org2MSP', role))).toBe(false);
      }
    }
    expect(() => manager.deserialize(client.serialized).checkPrincipal(rolePrincipal('Org1MSP', 'peer'))).toThrow(
      'The identity is not a [PEER] under this MSP [Org1MSP]',
    );
    expect(() => manager.deserialize(client.serialized).checkPrincipal(rolePrincipal('Org2MSP', 'member'))).toThrow(
      'the identity is a member of a different MSP (expected Org2MSP, got Org1MSP)',
    );
    const listed = new MspManager([{ mspId: 'Org1MSP', rootCerts: [org1.certPem], adminCerts: [client.certPem] }]);
    expect(listed.deserialize(client.serialized).isAdmin).toBe(true);
    expect(listed.deserialize(client.serialized).satisfies(rolePrincipal('Org1MSP', 'admin'))).toBe(true);
  });

  it('evaluates IDENTITY and ORGANIZATION_UNIT principals', () => {
    const id = manager.deserialize(client.serialized);
    expect(id.satisfies(identityPrincipal(client.serialized))).toBe(true);
    expect(id.satisfies(identityPrincipal(peer.serialized))).toBe(false);
    const certifiers = createHash('sha256').update(new X509Certificate(org1.certPem).raw).digest();
    expect(id.satisfies(organizationUnitPrincipal('Org1MSP', 'client', certifiers))).toBe(true);
    expect(id.satisfies(organizationUnitPrincipal('Org1MSP', 'peer', certifiers))).toBe(false);
    expect(id.satisfies(organizationUnitPrincipal('Org1MSP', 'client', Buffer.alloc(32)))).toBe(false);
    expect(id.satisfies(organizationUnitPrincipal('Org2MSP', 'client', certifiers))).toBe(false);
  });
});

describe('MSP config protos', () => {
  it('round-trips through FabricMSPConfig with NodeOUs', () => {
    const config: MspConfig = { mspId: 'Org1MSP', rootCerts: [org1.certPem], tlsRootCerts: [org2.certPem] };
    const proto = toMspConfigProto(config);
    expect(proto.getType()).toBe(0);
    const fabric = msp.FabricMSPConfig.deserializeBinary(proto.getConfig_asU8());
    expect(fabric.getCryptoConfig()?.getSignatureHashFamily()).toBe('SHA2');
    expect(fabric.getFabricNodeOus()?.getPeerOuIdentifier()?.getOrganizationalUnitIdentifier()).toBe('peer');
    const back = fromMspConfigProto(proto);
    expect(back).toMatchObject({ mspId: 'Org1MSP', rootCerts: [org1.certPem], tlsRootCerts: [org2.certPem] });
    expect(new MspManager([back]).deserialize(client.serialized).satisfies(rolePrincipal('Org1MSP', 'client'))).toBe(true);
  });
});

describe('checkCreator', () => {
  it("gives the endorser's texts for each failure class", async () => {
    const sig = client.sign(message);
    expect(checkCreator(manager, 'ch', client.serialized, message, sig).mspId).toBe('Org1MSP');
    const text = (creator: Uint8Array, signature = sig): string => {
      try {
        checkCreator(manager, 'ch', creator, message, signature);
        return 'ok';
      } catch (err) {
        expect(err).toBeInstanceOf(CreatorError);
        return `${(err as CreatorError).message} / ${(err as CreatorError).cause.stage}`;
      }
    };
    expect(text(serialize('Org3MSP', client.certPem))).toBe('access denied: channel [ch] creator org unknown, creator is malformed / deserialize');
    expect(text(serialize('Org2MSP', client.certPem))).toBe('access denied: channel [ch] creator org unknown, creator is malformed / deserialize');
    expect(text(serialize('Org1MSP', org1.certPem))).toBe('access denied: channel [ch] creator org [Org1MSP] / validate');
    expect(text(client.serialized, peer.sign(message))).toBe('access denied: channel [ch] creator org [Org1MSP] / verify');
    const noOU = await issue(org1, 'Org1MSP', [], 'plain');
    expect(text(noOU.serialized, noOU.sign(message))).toBe('access denied: channel [ch] creator org [Org1MSP] / validate');
  });
});
