/**
 * The end-to-end suites' crypto material: test/global-setup.js issues the default consortium's
 * material once per jest run, and each devnet data directory starts from a copy of it.
 */
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Where the suites keep their devnets' material, one directory per suite (reused across runs). */
export const MATERIAL_ROOT = path.resolve(__dirname, '../../.healthledger/e2e');

/** Crypto material issued once per jest run by test/global-setup.js (absent when that did nothing). */
const TEMPLATE_MATERIAL = path.join(MATERIAL_ROOT, '.template', 'organizations');

/**
 * Gives a devnet data directory without material a copy of the run's template material: issuing
 * the consortium's keys and certificates costs each devnet about a second of CPU, copying them
 * little. Each devnet still has its own directory, and tops up anything missing or stale.
 */
export function seedMaterial(dataDir: string): void {
  const target = path.join(dataDir, 'organizations');
  if (existsSync(target) || !existsSync(TEMPLATE_MATERIAL)) return;
  cpSync(TEMPLATE_MATERIAL, target, { recursive: true });
}
