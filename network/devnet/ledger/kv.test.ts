import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvStore, prefixEnd } from './kv';
import { collect } from './testing/collect';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const keys = async (store: KvStore, gte: string, lt: string, reverse = false): Promise<string[]> =>
  (await collect(store.scan(b(gte), b(lt), reverse))).map(([k, v]) => `${k.toString('latin1')}=${v.toString()}`);

describe('KvStore', () => {
  it('shows pending writes to point reads and scans, shadowing and deleting stored values', async () => {
    const store = await KvStore.open();
    for (const k of ['a', 'c', 'e']) store.put(b(k), b(`${k}1`));
    await store.flush(false);
    store.put(b('b'), b('b2'));
    store.put(b('c'), b('c2'));
    store.del(b('e'));
    store.put(b('f'), b('f2'));
    expect([store.get(b('c'))?.toString(), store.get(b('e')), store.get(b('a'))?.toString()]).toEqual(['c2', undefined, 'a1']);
    expect(await keys(store, 'a', 'z')).toEqual(['a=a1', 'b=b2', 'c=c2', 'f=f2']);
    expect(await keys(store, 'b', 'f', true)).toEqual(['c=c2', 'b=b2']);
    await store.flush(false);
    expect(store.pendingWrites).toBe(0);
    expect(await keys(store, 'a', 'z')).toEqual(['a=a1', 'b=b2', 'c=c2', 'f=f2']);
    await store.close();
  });

  it('computes prefix ends', () => {
    expect(prefixEnd(Buffer.from([0x61, 0xff]))).toEqual(Buffer.from([0x62]));
    expect(prefixEnd(Buffer.from([0xff]))).toBeUndefined();
  });

  /** Names of the files in `dir` holding `text`. */
  const holding = async (dir: string, text: string): Promise<string[]> => {
    const found: string[] = [];
    for (const name of await readdir(dir)) if ((await readFile(join(dir, name))).includes(b(text))) found.push(name);
    return found;
  };

  it('compaction removes a value deleted in the memtable it was written to (fresh database)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kv-'));
    try {
      const store = await KvStore.open(dir);
      store.put(b('pkey-gone'), b('erase-me'));
      store.put(b('pkey-kept'), b('keep-me'));
      await store.flush(true);
      store.del(b('pkey-gone'));
      await store.flush(true);
      expect(await holding(dir, 'erase-me')).not.toEqual([]);
      await store.compact(b('pkey-gone'), b('pkey-gone'));
      expect(await holding(dir, 'erase-me')).toEqual([]);
      expect(await holding(dir, 'keep-me')).not.toEqual([]);
      await store.close();
      const reopened = await KvStore.open(dir);
      expect([reopened.get(b('pkey-gone')), reopened.get(b('pkey-kept'))?.toString()]).toEqual([undefined, 'keep-me']);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('compaction leaves no trace of deleted or overwritten values, wherever LevelDB had put them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kv-'));
    try {
      const store = await KvStore.open(dir);
      const filler = Buffer.alloc(4096, 'f');
      const fill = async (tag: string): Promise<void> => {
        // Enough to flush memtables (4 MiB each), so data sits on more than one level.
        for (let batch = 0; batch < 6; batch++) {
          for (let i = 0; i < 250; i++) store.put(b(`${tag}${String(batch * 250 + i).padStart(6, '0')}`), filler);
          await store.flush(false);
        }
      };
      store.put(b('pkey-gone'), b('erase-me-1'));
      store.put(b('pkey-kept'), b('keep-me'));
      await store.flush(true);
      await fill('a');
      store.put(b('pkey-gone'), b('erase-me-2'));
      await store.flush(true);
      await fill('z');
      store.del(b('pkey-gone'));
      await store.flush(true);
      await store.compact(b('pkey-gone'), b('pkey-gone'));
      expect(await holding(dir, 'erase-me-1')).toEqual([]);
      expect(await holding(dir, 'erase-me-2')).toEqual([]);
      expect(await holding(dir, 'keep-me')).not.toEqual([]);
      expect(store.get(b('pkey-kept'))?.toString()).toBe('keep-me');
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
