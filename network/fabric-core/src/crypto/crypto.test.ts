import * as asn1js from 'asn1js';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { SignatureError, blockHeaderBytes, blockHeaderHash, decodeEcdsaSignature, flipS, sha256, signLowS, signLowSAsync, verifySignature } from './index';

const P256_HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const message = Buffer.from('proposal bytes');

describe('sha256', () => {
  it('hashes the concatenation of its parts', () => {
    const expected = createHash('sha256').update('abcdef').digest();
    expect(sha256(Buffer.from('abc'), Buffer.from('def'))).toEqual(expected);
    expect(sha256().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('signLowS / verifySignature', () => {
  it('always produces low-S signatures that verify', () => {
    for (let i = 0; i < 40; i++) {
      const der = signLowS(privateKey, message);
      const parts = decodeEcdsaSignature(der);
      expect(parts).toBeDefined();
      expect(parts!.s <= P256_HALF_ORDER).toBe(true);
      expect(() => verifySignature(publicKey, message, der)).not.toThrow();
    }
  });

  it('rejects the high-S twin of a valid signature with BCCSP text', () => {
    const high = flipS(publicKey, signLowS(privateKey, message));
    expect(() => verifySignature(publicKey, message, high)).toThrow(SignatureError);
    expect(() => verifySignature(publicKey, message, high)).toThrow(/^Invalid S\. Must be smaller than half the order \[\d+\]\[\d+\]\.$/);
  });

  it('accepts a low-S signature made by plain node crypto', () => {
    // Half of all raw ECDSA signatures are low-S already; find one and check it is accepted.
    for (;;) {
      const der = sign('sha256', message, privateKey);
      if (decodeEcdsaSignature(der)!.s <= P256_HALF_ORDER) {
        expect(() => verifySignature(publicKey, message, der)).not.toThrow();
        return;
      }
    }
  });

  it('rejects a signature over other data, from another key, or garbage', () => {
    const der = signLowS(privateKey, message);
    expect(() => verifySignature(publicKey, Buffer.from('other'), der)).toThrow('The signature is invalid');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => verifySignature(other.publicKey, message, der)).toThrow('The signature is invalid');
    expect(() => verifySignature(publicKey, message, Buffer.from('3003020100', 'hex'))).toThrow(/Failed unmashalling signature/);
    expect(() => verifySignature(publicKey, message, Buffer.concat([der, Buffer.from([0])]))).toThrow(/Failed unmashalling/);
    // A GeneralizedTime where r belongs: asn1js throws on it; Fabric's text all the same.
    expect(() => verifySignature(publicKey, message, Buffer.from('3006180101020101', 'hex'))).toThrow(SignatureError);
    expect(() => verifySignature(publicKey, message, Buffer.from('3006180101020101', 'hex'))).toThrow(/Failed unmashalling signature/);
    expect(() => verifySignature(publicKey, message, Buffer.from('3006020100020101', 'hex'))).toThrow(/R must be larger than zero/);
  });

  it('refuses keys Fabric 2.5 has no ECDSA verifier for (Ed25519)', () => {
    const ed = generateKeyPairSync('ed25519');
    const sig = sign(null, message, ed.privateKey);
    expect(() => verifySignature(ed.publicKey, message, sig)).toThrow(/Unsupported 'Key' provided \[ed25519\]/);
    expect(() => signLowS(ed.privateKey, message)).toThrow(SignatureError);
  });

  it('supports P-384', () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => verifySignature(k.publicKey, message, signLowS(k.privateKey, message))).not.toThrow();
  });
});

describe('signLowSAsync', () => {
  it('signs as signLowS does, off the event loop: low-S signatures that verify, on both curves', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const p384Half = 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n >> 1n;
    const signatures = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? signLowSAsync(p384.privateKey, message) : signLowSAsync(privateKey, message))));
    signatures.forEach((der, i) => {
      expect(decodeEcdsaSignature(der)!.s <= (i % 2 ? p384Half : P256_HALF_ORDER)).toBe(true);
      expect(() => verifySignature(i % 2 ? p384.publicKey : publicKey, message, der)).not.toThrow();
    });
  });

  it('rejects, not throws, for a key Fabric has no signer for', async () => {
    const ed = generateKeyPairSync('ed25519');
    const signing = signLowSAsync(ed.privateKey, message);
    await expect(signing).rejects.toThrow(SignatureError);
  });
});

describe('blockHeaderBytes written by hand', () => {
  it('is the DER asn1js writes, for numbers and hash lengths at every length-octet boundary', () => {
    const numbers = [0n, 1n, 127n, 128n, 255n, 256n, 32767n, 32768n, 65535n, 2n ** 31n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    const lengths = [0, 1, 32, 127, 128, 255, 256, 70000];
    for (const number of numbers) {
      for (const length of lengths) {
        const prev = Buffer.alloc(length, 0xab);
        const data = Buffer.alloc(32, 0xcd);
        const reference = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(number), new asn1js.OctetString({ valueHex: prev }), new asn1js.OctetString({ valueHex: data })] });
        expect(blockHeaderBytes(number, prev, data).toString('hex')).toBe(Buffer.from(reference.toBER(false)).toString('hex'));
      }
    }
  });
});

describe('blockHeaderHash', () => {
  it('encodes INTEGERs minimally (known vectors)', () => {
    expect(blockHeaderBytes(0n, Buffer.alloc(0), Buffer.alloc(0)).toString('hex')).toBe('3007' + '020100' + '0400' + '0400');
    expect(blockHeaderBytes(128n, Buffer.alloc(0), Buffer.alloc(0)).toString('hex')).toBe('3008' + '02020080' + '0400' + '0400');
    expect(blockHeaderBytes(127n, Buffer.alloc(0), Buffer.alloc(0)).subarray(2, 5).toString('hex')).toBe('02017f');
    expect(blockHeaderBytes(256n, Buffer.alloc(0), Buffer.alloc(0)).subarray(2, 6).toString('hex')).toBe('02020100');
  });

  it('hashes the DER header with long-form lengths for real hashes', () => {
    const prev = Buffer.alloc(32, 0xab);
    const data = Buffer.alloc(32, 0xcd);
    const der = blockHeaderBytes(1n, prev, data);
    expect(der.toString('hex')).toBe('3047' + '020101' + '0420' + prev.toString('hex') + '0420' + data.toString('hex'));
    expect(blockHeaderHash(1n, prev, data)).toEqual(createHash('sha256').update(der).digest());
  });

  it('handles block numbers beyond 2^53', () => {
    expect(blockHeaderBytes(2n ** 63n, Buffer.alloc(0), Buffer.alloc(0)).subarray(2, 13).toString('hex')).toBe('0209008000000000000000');
  });
});
