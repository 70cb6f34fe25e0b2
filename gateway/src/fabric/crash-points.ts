/**
 * TEST ONLY: stops the gateway process outright (SIGKILL) at one stage of a journaled submit, so
 * the crash tests can prove that a replayed `Idempotency-Key` finds the first attempt's outcome.
 * Set with HEALTHLEDGER_CRASH_AT=<stage>[:<n>] (the n-th journaled submit to reach the stage,
 * default the first), read once at start; config.ts refuses it when NODE_ENV=production. Unset,
 * the check is one comparison with `undefined` per journaled submit.
 */

/** Where a journaled submit can be stopped. */
export const CRASH_STAGES = ['before-submit', 'after-submit', 'after-commit'] as const;
export type CrashStage = (typeof CRASH_STAGES)[number];

/** A configured crash: the stage, and which journaled submit (1-based) to reach it dies there. */
export interface CrashPlan {
  stage: CrashStage;
  nth: number;
}

/** Parses `<stage>[:<n>]`; undefined when it is neither. */
export function parseCrashPlan(value: string): CrashPlan | undefined {
  const [name, count = '1', ...rest] = value.split(':');
  const stage = CRASH_STAGES.find((s) => s === name);
  const nth = Number(count);
  return stage && rest.length === 0 && Number.isInteger(nth) && nth >= 1 ? { stage, nth } : undefined;
}

/** Kills this process when the plan's submit reaches `stage`. */
export function crashPoint(plan: CrashPlan | undefined, stage: CrashStage): void {
  if (plan?.stage !== stage) return;
  plan.nth -= 1;
  if (plan.nth === 0) process.kill(process.pid, 'SIGKILL');
}
