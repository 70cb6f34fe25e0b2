import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordDamageError, RecordLog } from './record-log';

async function scanAll(log: RecordLog): Promise<string[]> {
  const out: string[] = [];
  for await (const record of log.scan()) out.push(record.payload.toString());
  return out;
}

async function withLog(path: string, payloads: string[]): Promise<void> {
  const log = await RecordLog.open(path);
  await scanAll(log);
  await log.append(payloads.map((p) => Buffer.from(p)));
  await log.close();
}

describe('RecordLog', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-log-'));
    path = join(dir, 'log.dat');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends framed records and reads them back by scan and by span', async () => {
    const log = await RecordLog.open(path);
    expect(await scanAll(log)).toEqual([]);
    const spans = await log.append([Buffer.from('one'), Buffer.from('two')]);
    const [third] = await log.append([Buffer.from('three')]);
    expect(log.readSync(spans[1]!).toString()).toBe('two');
    expect(log.readSync(third!).toString()).toBe('three');
    await log.close();
    // Frame: u32 length, u32 CRC32, payload.
    const raw = await readFile(path);
    expect(raw.readUInt32BE(0)).toBe(3);
    expect(raw.subarray(8, 11).toString()).toBe('one');
    const reopened = await RecordLog.open(path);
    expect(await scanAll(reopened)).toEqual(['one', 'two', 'three']);
    expect(reopened.truncatedBytes).toBe(0);
    await reopened.close();
  });

  it('refuses to append before the file was scanned', async () => {
    const log = await RecordLog.open(path);
    await expect(log.append([Buffer.from('x')])).rejects.toThrow('scan the file before appending');
    await log.close();
  });

  const tornTails: Array<[string, (whole: Buffer) => Buffer]> = [
    ['a partial frame header', () => Buffer.from([0, 0, 0])],
    ['a partial payload', (whole) => whole.subarray(0, whole.length - 2)],
    ['zeros (allocated, never written)', () => Buffer.alloc(64)],
    ['a complete last record with a bad CRC', (whole) => Buffer.concat([whole.subarray(0, whole.length - 1), Buffer.from('!')])],
  ];
  it.each(tornTails)('cuts a torn last record: %s', async (_what, tail) => {
    await withLog(path, ['kept-1', 'kept-2']);
    const goodSize = (await stat(path)).size;
    const other = join(dir, 'other.dat');
    await withLog(other, ['torn-record-payload']);
    await appendFile(path, tail(await readFile(other)));
    const log = await RecordLog.open(path);
    expect(await scanAll(log)).toEqual(['kept-1', 'kept-2']);
    expect(log.truncatedBytes).toBeGreaterThan(0);
    expect((await stat(path)).size).toBe(goodSize);
    await log.append([Buffer.from('after')]);
    await log.close();
    const again = await RecordLog.open(path);
    expect(await scanAll(again)).toEqual(['kept-1', 'kept-2', 'after']);
    await again.close();
  });

  it('reports a damaged record in the middle with its index and offset', async () => {
    await withLog(path, ['first', 'second', 'third']);
    const raw = await readFile(path);
    raw.writeUInt8(raw.readUInt8(23) ^ 0xff, 23); // inside "second"
    await writeFile(path, raw);
    const log = await RecordLog.open(path);
    const error = await scanAll(log).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RecordDamageError);
    expect(error).toMatchObject({ index: 1, frameOffset: 13, message: expect.stringContaining('CRC mismatch') });
    await log.close();
    expect((await stat(path)).size).toBe(raw.length); // nothing cut
  });

  it('treats an impossible length in the middle as damage, not as a torn tail', async () => {
    await withLog(path, ['first', 'second']);
    const raw = await readFile(path);
    raw.writeUInt32BE(0xfffffff0, 13);
    await writeFile(path, raw);
    const log = await RecordLog.open(path);
    await expect(scanAll(log)).rejects.toThrow('impossible length');
    await log.close();
  });
});
