import type { HealthContext } from '../shared';
import type { Recall } from './model';

/** The world-state key of a lot recall: `recall` / gtin14 / lot. */
export function recallKey(ctx: HealthContext, gtin: string, lot: string): string {
  return ctx.state.key('recall', gtin, lot);
}

/** The recall of a lot, if it was recalled. */
export async function readRecall(ctx: HealthContext, gtin: string, lot: string): Promise<Recall | undefined> {
  return ctx.state.get<Recall>(recallKey(ctx, gtin, lot));
}
