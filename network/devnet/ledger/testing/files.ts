import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Paths (relative to `dir`) of the files under `dir` holding `text`, sorted: what a search of the disk finds. */
export async function filesWith(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(Buffer.from(text))) found.push(relative(dir, path));
  }
  return found.sort();
}
