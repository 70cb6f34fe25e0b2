import type { InMemoryChannel } from './in-memory-channel';

/**
 * Privacy scan. Synthetic PHI in tests (names, diagnoses, notes) is built with {@link phi}, which
 * embeds {@link PHI_MARKER}. After each test file, every public write, event and submitted
 * response of every ledger it created is scanned; a marker there fails the file.
 */
export const PHI_MARKER = 'PHIMARK';

let counter = 0;

/** A synthetic PHI string that the privacy scan can find, e.g. `phi('name')`. */
export function phi(label: string): string {
  counter += 1;
  return `${PHI_MARKER}-${label}-${counter}`;
}

const ledgers = new Set<InMemoryChannel>();

export function registerLedger(ledger: InMemoryChannel): void {
  ledgers.add(ledger);
}

/** Public places where a marker was found, across every ledger created so far. */
export function findPhiLeaks(): string[] {
  const leaks: string[] = [];
  for (const ledger of ledgers) {
    for (const record of ledger.publicRecords) {
      if (Buffer.from(record.bytes).toString('utf8').includes(PHI_MARKER)) leaks.push(record.what);
      else if (Buffer.from(record.bytes).toString('latin1').includes(PHI_MARKER)) leaks.push(record.what);
    }
  }
  return leaks;
}

export function forgetLedgers(): void {
  ledgers.clear();
}
