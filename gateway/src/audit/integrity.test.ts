import { createHash } from 'node:crypto';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { blockDataHash, checkLink, type ChainLink } from './integrity';

const sha = (b: Buffer) => createHash('sha256').update(b).digest();

describe('block header hash (DER, as Fabric hashes it)', () => {
  test('block 0 with an empty previous hash encodes INTEGER 0 and an empty OCTET STRING', () => {
    const dataHash = Buffer.alloc(32, 0xab);
    const der = Buffer.concat([Buffer.from([0x30, 0x27, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x20]), dataHash]);
    expect(blockHeaderHash(0n, new Uint8Array(), dataHash)).toEqual(sha(der));
  });

  test('128 is encoded with a leading zero byte', () => {
    const prev = Buffer.alloc(32, 1);
    const data = Buffer.alloc(32, 2);
    const der = Buffer.concat([Buffer.from([0x30, 0x48, 0x02, 0x02, 0x00, 0x80, 0x04, 0x20]), prev, Buffer.from([0x04, 0x20]), data]);
    expect(blockHeaderHash(128n, prev, data)).toEqual(sha(der));
  });
});

function chain(length: number): ChainLink[] {
  const links: ChainLink[] = [];
  let previousHash: Buffer = Buffer.alloc(0);
  for (let n = 0; n < length; n++) {
    const data = [Buffer.from(`envelope-${n}-a`), Buffer.from(`envelope-${n}-b`)];
    const link = { number: BigInt(n), previousHash, dataHash: blockDataHash(data), data };
    links.push(link);
    previousHash = blockHeaderHash(link.number, link.previousHash, link.dataHash);
  }
  return links;
}

function verify(links: ChainLink[]) {
  let previous: Buffer | undefined;
  for (const [i, link] of links.entries()) {
    const result = checkLink(link, BigInt(i), previous);
    if (!Buffer.isBuffer(result)) return result;
    previous = result;
  }
  return undefined;
}

describe('chain check', () => {
  test('an intact chain verifies', () => {
    expect(verify(chain(5))).toBeUndefined();
  });

  test('a tampered envelope is a data hash mismatch at that block', () => {
    const links = chain(5);
    links[3]!.data[0] = Buffer.from('forged');
    expect(verify(links)).toEqual({ block: '3', reason: 'DATA_HASH_MISMATCH' });
  });

  test('a rewritten block (consistent data hash) breaks the next link', () => {
    const links = chain(5);
    const data = [Buffer.from('rewritten')];
    links[2] = { ...links[2]!, data, dataHash: blockDataHash(data) };
    expect(verify(links)).toEqual({ block: '3', reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  test('a missing block is a gap', () => {
    const links = chain(4);
    links.splice(2, 1);
    expect(verify(links)).toEqual({ block: '3', reason: 'NUMBER_GAP' });
  });
});
