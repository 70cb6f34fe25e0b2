import { open as openFile } from 'node:fs/promises';

/*
 * Writes that must survive a crash (kill -9, power loss): the file's bytes fsynced, and the
 * directory fsynced after a file is created, renamed or removed in it, or its entry may be lost.
 */

/** Writes `bytes` as the whole of `path` and fsyncs it (not its directory: see {@link syncDirectory}). */
export async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await openFile(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory: the entries created, renamed or removed in it since are durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await openFile(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
