/**
 * The `recall` operation (`POST /recalls` with `Prefer: respond-async`): `trace:recallLot` flags
 * at most `maxPacks` packs per transaction and answers how many remain, so a large lot takes
 * several transactions. The operation calls it again until none remains, one transaction at a
 * time (they scan the same lot, so in parallel they would conflict).
 *
 * Resuming after a restart simply calls it again: recallLot flags only packs not yet flagged,
 * so a transaction that committed while the gateway died is not repeated — only its count is
 * missing from the operation's `done` (the lot's holders, `GET /products/{gtin}/lots/{lot}/holders`,
 * are the ledger's account).
 */
import { TRACE, type RecallRequest } from '@healthledger/contract-api';
import type { Ledger } from '../../fabric/ledger';
import type { OperationKind } from '../../operations/runner';
import { parseResult } from './operation';

/** What recallLot answers. */
interface RecallResult {
  gtin: string;
  lot: string;
  flagged: number;
  remaining: number;
}

/** The `recall` kind. */
export function recallKind(ledger: Ledger): OperationKind<RecallRequest> {
  return {
    unit: 'packs',
    durable: true,
    run: async (op) => {
      let flagged = op.record.progress.done;
      for (;;) {
        if (op.stopped()) return { complete: false, remaining: [op.input] };
        const outcome = await ledger.submit(op.user, { fn: TRACE.recallLot.qualifiedName, args: [JSON.stringify(op.input)] });
        const result = parseResult(outcome.result) as RecallResult;
        op.batch({ txId: outcome.txId, offset: flagged, count: result.flagged });
        flagged += result.flagged;
        op.progress(flagged, flagged + result.remaining);
        if (result.remaining === 0) return { complete: true, result: { ...result, flagged } };
        // recallLot flags something whenever something remains; guard against a loop regardless.
        if (result.flagged === 0) throw new Error('recallLot flagged no pack while some remain');
      }
    },
  };
}
