import { createHash } from 'node:crypto';
import { blockHeaderHash } from './header-hash';

const sha = (hex: string): Buffer => createHash('sha256').update(Buffer.from(hex, 'hex')).digest();

describe('blockHeaderHash (spec §8.2 DER)', () => {
  const dataHash = Buffer.alloc(32, 0xab);
  const prev = Buffer.alloc(32, 0xcd);

  it('encodes block 0 with an empty previous hash as 02 01 00 / 04 00', () => {
    const der = `3027` + `020100` + `0400` + `0420${dataHash.toString('hex')}`;
    expect(blockHeaderHash(0n, new Uint8Array(0), dataHash)).toEqual(sha(der));
  });

  it('pads 128 to 02 02 00 80 (positive two’s complement)', () => {
    const der = `3048` + `02020080` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`;
    expect(blockHeaderHash(128n, prev, dataHash)).toEqual(sha(der));
  });

  it('uses minimal octets for 127 and 0x1234', () => {
    expect(blockHeaderHash(127n, prev, dataHash)).toEqual(
      sha(`3047` + `02017f` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`),
    );
    expect(blockHeaderHash(0x1234n, prev, dataHash)).toEqual(
      sha(`3048` + `02021234` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`),
    );
  });

  it('uses long-form lengths above 127 bytes', () => {
    const long = Buffer.alloc(200, 1);
    const der = `3081d0` + `020105` + `0400` + `0481c8${long.toString('hex')}`;
    expect(blockHeaderHash(5n, new Uint8Array(0), long)).toEqual(sha(der));
  });
});
