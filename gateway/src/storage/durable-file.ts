/**
 * Atomic, durable file writes for the gateway's data directory: temp file, fsync, rename,
 * directory fsync. A crash leaves either the old file or the new one, never a torn one that a
 * restart would trust (the idempotency store and the operation store both rely on it).
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replaces `file` with `text`, readable by the gateway's user only; durable when this returns. */
export function writeFileDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself survives a power cut only once the directory is synced.
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
