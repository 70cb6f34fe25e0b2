/**
 * Durable operations in the gateway's data directory, `<data>/operations/`: one `<id>.json` per
 * operation (its record, rewritten atomically at every step) and, for an operation that can
 * resume after a restart, `<id>.input.json` (its request, written once). Neither ever holds PHI:
 * kinds whose input or result may (exports) are kept in memory only and never reach this store.
 * Finished operations are forgotten {@link RETENTION_MS} after their last update.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../storage/durable-file';
import { FINISHED, type OperationRecord } from './model';

/** How long a finished operation stays readable: a week, for a client that polls rarely. */
export const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

const ID = /^[0-9a-f]{32}$/;

export class OperationStore {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Every stored operation still retained; expired ones, and temp files of a crash, are deleted. */
  load(): OperationRecord[] {
    const records: OperationRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) {
        unlinkSync(join(this.dir, name));
        continue;
      }
      const id = name.slice(0, -'.json'.length);
      if (!name.endsWith('.json') || !ID.test(id)) continue;
      const record = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as OperationRecord;
      if (FINISHED.includes(record.status) && this.now() - Date.parse(record.updatedAt) > RETENTION_MS) this.delete(id);
      else records.push(record);
    }
    return records;
  }

  /** Writes the record; durable when this returns. */
  save(record: OperationRecord): void {
    writeFileDurably(this.file(record.id), JSON.stringify(record));
  }

  /** Writes an operation's input, once, before it runs. */
  saveInput(id: string, input: unknown): void {
    writeFileDurably(this.inputFile(id), JSON.stringify(input));
  }

  /** The stored input of an operation, if it has one. */
  input(id: string): unknown {
    const file = this.inputFile(id);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
  }

  /** Forgets an operation's input (it is not needed once the operation has finished). */
  dropInput(id: string): void {
    const file = this.inputFile(id);
    if (existsSync(file)) unlinkSync(file);
  }

  delete(id: string): void {
    this.dropInput(id);
    const file = this.file(id);
    if (existsSync(file)) unlinkSync(file);
  }

  private file(id: string): string {
    return join(this.dir, `${checked(id)}.json`);
  }

  private inputFile(id: string): string {
    return join(this.dir, `${checked(id)}.input.json`);
  }
}

function checked(id: string): string {
  if (!ID.test(id)) throw new Error('an operation id is 32 hex digits');
  return id;
}
