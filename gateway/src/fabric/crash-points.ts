/**
 * TEST ONLY: stops the gateway process outright (SIGKILL) at one stage of a journaled submit, so
 * the crash tests can prove that a replayed `Idempotency-Key` finds the first attempt's outcome.
 * Set with HEALTHLEDGER_CRASH_AT, read once at start; config.ts refuses it when
 * NODE_ENV=production. Unset, the check is one comparison with `undefined` per journaled submit.
 */

/** Where a journaled submit can be stopped. */
export const CRASH_STAGES = ['before-submit', 'after-submit', 'after-commit'] as const;
export type CrashStage = (typeof CRASH_STAGES)[number];

/** Kills this process when `stage` is the configured one. */
export function crashPoint(configured: CrashStage | undefined, stage: CrashStage): void {
  if (configured === stage) process.kill(process.pid, 'SIGKILL');
}
