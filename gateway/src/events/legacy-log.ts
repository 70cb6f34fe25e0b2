/**
 * The event log of earlier versions: `events/log.jsonl`, one JSON line per event. Opening the
 * log (./log.ts) imports such a file once, in chunks, then renames it `log.jsonl.imported` (kept,
 * not deleted: it is the operator's to remove). A crash mid-import leaves the file in place, and
 * the next start imports it again over the same keys: the import is idempotent.
 */
import { createReadStream, existsSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LoggedEvent } from './log';

/** Events per import write: what the import holds in memory at once. */
const CHUNK = 1000;

/** Writes a chunk of events, in order; `last`: the final chunk (make it durable). */
export type ImportWriter = (events: LoggedEvent[], last: boolean) => Promise<void>;

/** The events of a legacy log file, in order, up to a torn or out-of-sequence line. */
async function* legacyEvents(path: string): AsyncGenerator<LoggedEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let expected = 1;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let event: LoggedEvent;
    try {
      event = JSON.parse(line) as LoggedEvent;
    } catch {
      // A torn last line from a crash mid-append: the checkpoint was not advanced past it, so the
      // event will be read again from the ledger. Anything after it cannot exist.
      break;
    }
    if (event.seq !== expected) break;
    expected++;
    yield event;
  }
  lines.close();
}

/** Imports `path` if it exists, then renames it; returns the number of events imported. */
export async function importLegacyLog(path: string, write: ImportWriter): Promise<number> {
  if (!existsSync(path)) return 0;
  let chunk: LoggedEvent[] = [];
  let count = 0;
  for await (const event of legacyEvents(path)) {
    chunk.push(event);
    count++;
    if (chunk.length === CHUNK) {
      await write(chunk, false);
      chunk = [];
    }
  }
  await write(chunk, true);
  renameSync(path, `${path}.imported`);
  return count;
}
