import { tableKey } from './codec';

/** The layout tableKey documents, built part by part: tag, then the parts joined by NUL. */
function byParts(tag: string, ...parts: ReadonlyArray<string | Buffer>): Buffer {
  const buffers: Buffer[] = [Buffer.from(tag, 'latin1')];
  parts.forEach((part, i) => {
    if (i > 0) buffers.push(Buffer.from([0]));
    buffers.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  });
  return Buffer.concat(buffers);
}

describe('tableKey', () => {
  it.each([
    ['s', ['healthledger', 'pack\u000009506000134352\u0000BN1\u0000']],
    ['s', ['cc', '']],
    ['t', ['ab12']],
    ['S', []],
    ['s', ['cc', 'é😀 ünïcode']],
    ['s', ['cc', 'lone \ud800', '\udc00 surrogates']],
  ] as const)('lays out text parts as the part-by-part concatenation (%s %j)', (tag, parts) => {
    expect(tableKey(tag, ...parts).equals(byParts(tag, ...parts))).toBe(true);
  });

  it('keeps binary parts as they are', () => {
    const hash = Buffer.from([0xff, 0x00, 0x80]);
    expect(tableKey('h', 'cc', 'coll', hash).equals(byParts('h', 'cc', 'coll', hash))).toBe(true);
  });
});
