import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto);

/** A test identity: an X.509 certificate with Fabric CA attributes, as a real CA issues it. */
export interface TestIdentity {
  mspId: string;
  name: string;
  certPem: string;
  attrs: Record<string, string>;
}

const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const caKeys = new Map<string, Promise<{ keys: CryptoKeyPair; cert: x509.X509Certificate }>>();
const issued = new Map<string, Promise<TestIdentity>>();

function orgDomain(mspId: string): string {
  return `${mspId.replace(/MSP$/, '').toLowerCase()}.example.com`;
}

async function caFor(mspId: string): Promise<{ keys: CryptoKeyPair; cert: x509.X509Certificate }> {
  let ca = caKeys.get(mspId);
  if (!ca) {
    ca = (async () => {
      const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']));
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: `C=US, ST=North Carolina, O=${orgDomain(mspId)}, CN=ca.${orgDomain(mspId)}`,
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2034-01-01T00:00:00Z'),
        keys,
        signingAlgorithm: alg,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
      });
      return { keys, cert };
    })();
    caKeys.set(mspId, ca);
  }
  return ca;
}

/**
 * Issues (and caches) a client certificate for `name` in `mspId` with the given Fabric CA
 * attributes, e.g. `{ role: 'clinician', practitioner_id: 'prac-1' }`.
 */
export function identity(mspId: string, name: string, attrs: Record<string, string>): Promise<TestIdentity> {
  const cacheKey = `${mspId}/${name}/${JSON.stringify(attrs)}`;
  let found = issued.get(cacheKey);
  if (!found) {
    found = (async () => {
      const ca = await caFor(mspId);
      const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']));
      const allAttrs = { 'hf.EnrollmentID': name, 'hf.Type': 'client', 'hf.Affiliation': '', ...attrs };
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: Buffer.from(cacheKey).toString('hex').slice(0, 16),
        subject: `C=US, ST=North Carolina, OU=client, CN=${name}`,
        issuer: ca.cert.subject,
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2034-01-01T00:00:00Z'),
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.Extension(FABRIC_ATTRS_OID, false, Buffer.from(JSON.stringify({ attrs: allAttrs }))),
        ],
      });
      return { mspId, name, certPem: cert.toString('pem') + '\n', attrs };
    })();
    issued.set(cacheKey, found);
  }
  return found;
}
