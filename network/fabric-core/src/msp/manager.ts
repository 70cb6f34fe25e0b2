import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { decodeWire } from '../protos/wire-check';
import type { MspConfig } from './config';
import { MspError } from './errors';
import { MspIdentity, type Identity } from './identity';
import { Msp } from './msp';

/** Deserialized identities kept per serialized bytes (Fabric caches the same way). */
const CACHE_LIMIT = 10_000;
const PEM_CERTIFICATE = /-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----/;

/**
 * The MSPs of a channel (Fabric's `mspManagerImpl` + the deserializer cache): turns
 * `SerializedIdentity` bytes into identities of the named MSP.
 */
export class MspManager {
  private readonly msps = new Map<string, Msp>();
  private readonly cache = new Map<string, Identity>();

  constructor(configs: MspConfig[]) {
    for (const config of configs) {
      if (this.msps.has(config.mspId)) throw new MspError('config', `duplicate MSP ${config.mspId}`);
      this.msps.set(config.mspId, new Msp(config));
    }
  }

  /** The MSP ids, in configuration order. */
  get mspIds(): string[] {
    return [...this.msps.keys()];
  }

  has(mspId: string): boolean {
    return this.msps.has(mspId);
  }

  /** The MSP named `mspId`, if it belongs to this channel. */
  get(mspId: string): Msp | undefined {
    return this.msps.get(mspId);
  }

  /**
   * Reads `SerializedIdentity` bytes. Throws {@link MspError} (stage `deserialize`) for bytes
   * that do not decode, an unknown MSP, a certificate that does not parse or is not ECDSA, and a
   * non-CA certificate that does not chain to the MSP's CAs (Fabric builds the chain while
   * deserializing). Validation (NodeOUs, CA certificates, CRLs) is left to `validate()`.
   */
  deserialize(serializedIdentity: Uint8Array): Identity {
    // latin1: one byte per character, a plain copy (base64 costs an encoding pass per call).
    const key = Buffer.from(serializedIdentity.buffer, serializedIdentity.byteOffset, serializedIdentity.byteLength).toString('latin1');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const identity = this.read(serializedIdentity);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, identity);
    return identity;
  }

  private read(serializedIdentity: Uint8Array): Identity {
    let sid: msp.SerializedIdentity;
    try {
      // A creator's bytes come from a client: walked by the wire check before google-protobuf reads them.
      sid = decodeWire('SerializedIdentity', serializedIdentity);
    } catch (err) {
      throw new MspError('deserialize', `could not deserialize a SerializedIdentity: ${(err as Error).message}`);
    }
    const owner = this.msps.get(sid.getMspid());
    if (!owner) throw new MspError('deserialize', `MSP ${sid.getMspid()} is unknown`);
    const certPem = Buffer.from(sid.getIdBytes_asU8()).toString('utf8');
    const pem = PEM_CERTIFICATE.exec(certPem)?.[0];
    if (pem === undefined) throw new MspError('deserialize', 'could not decode the PEM structure');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (err) {
      throw new MspError('deserialize', `parseCertificate failed: ${(err as Error).message}`);
    }
    if (cert.publicKey.asymmetricKeyType !== 'ec') {
      throw new MspError('deserialize', `failed importing key with opts [&{Temporary:true}]: Certificate's public key type not recognized. Supported keys: [ECDSA, RSA]`);
    }
    // A CA certificate deserializes (Fabric sanitizes it against itself) and fails validation;
    // a leaf must chain now.
    const chain = cert.ca ? undefined : owner.chain(cert, 'deserialize');
    return new MspIdentity(owner, serializedIdentity, certPem, cert, chain);
  }
}
