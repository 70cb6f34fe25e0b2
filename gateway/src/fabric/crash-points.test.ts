import { parseCrashPlan } from './crash-points';

test('HEALTHLEDGER_CRASH_AT is a stage and, optionally, which journaled submit to reach it', () => {
  expect(parseCrashPlan('after-commit')).toEqual({ stage: 'after-commit', nth: 1 });
  expect(parseCrashPlan('before-submit:3')).toEqual({ stage: 'before-submit', nth: 3 });
  for (const bad of ['', 'after', 'after-commit:0', 'after-commit:x', 'after-commit:1:2', 'after-submit:1.5']) expect(parseCrashPlan(bad)).toBeUndefined();
});
