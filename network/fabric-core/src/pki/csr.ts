import 'reflect-metadata'; // @peculiar/x509's ASN.1 schemas need it loaded first
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate signing request that does not parse, is not ECDSA P-256, or whose signature does not verify. */
export class CsrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrError';
  }
}

/** A fresh P-256 key (PKCS#8 PEM) and a PKCS#10 request (PEM) for it, subject `CN=<commonName>`. */
export async function newKeyAndRequest(commonName: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${commonName}`, keys, signingAlgorithm: ALGORITHM });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`, csrPem: `${csr.toString('pem')}\n` };
}

/** The P-256 public key of a PKCS#10 request whose self-signature verifies. */
export async function requestPublicKey(csrPem: string): Promise<x509.PublicKey> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new CsrError(`the certificate request does not parse: ${(err as Error).message}`);
  }
  const algorithm = csr.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') throw new CsrError('the certificate request must carry an ECDSA P-256 public key');
  if (!(await csr.verify())) throw new CsrError('the certificate request signature does not verify');
  return csr.publicKey;
}
