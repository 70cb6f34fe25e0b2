import { createPrivateKey, type KeyObject } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { signLowS } from '../crypto';

/** An identity that signs as Fabric clients, peers and orderers do (ECDSA over SHA-256, low-S). */
export interface SigningIdentity {
  mspId: string;
  /** PEM with a trailing newline, exactly as carried in `SerializedIdentity.id_bytes`. */
  certPem: string;
  privateKey: KeyObject;
  /** `msp.SerializedIdentity{mspid, id_bytes: certPem}` bytes: what `SignatureHeader.creator` carries. */
  serialized: Uint8Array;
  /** DER signature over SHA-256(message), s <= n/2. */
  sign(message: Uint8Array): Buffer;
}

/** Builds a {@link SigningIdentity} from a certificate and its private key (PKCS#8 or SEC1 PEM). */
export function createSigningIdentity(mspId: string, certPem: string, keyPem: string | KeyObject): SigningIdentity {
  const privateKey = typeof keyPem === 'string' ? createPrivateKey(keyPem) : keyPem;
  const serialized = new msp.SerializedIdentity();
  serialized.setMspid(mspId);
  serialized.setIdBytes(Buffer.from(certPem, 'utf8'));
  return {
    mspId,
    certPem,
    privateKey,
    serialized: serialized.serializeBinary(),
    sign: (message) => signLowS(privateKey, message),
  };
}
