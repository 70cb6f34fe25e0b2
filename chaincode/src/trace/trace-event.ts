import type { HealthContext } from '../shared';
import type { TraceEvent } from './model';

/** The "where and when" fields a request may carry. */
export interface EventFields {
  eventTime?: string;
  readPoint?: string;
  bizLocation?: string;
}

/**
 * The compact EPCIS event stored with a version. The event time defaults to the transaction time;
 * a client-reported time is kept as given (EPCIS records when the physical step happened).
 */
export function traceEvent(
  ctx: HealthContext,
  fields: EventFields,
  bizStep: TraceEvent['bizStep'],
  action: TraceEvent['action'],
  extra: Partial<Pick<TraceEvent, 'parent' | 'shipmentId' | 'partner' | 'reason' | 'sensor' | 'observed' | 'disposition' | 'bizTransactions'>> = {},
): TraceEvent {
  const event: TraceEvent = { ...(bizStep === undefined ? {} : { bizStep }), action, eventTime: fields.eventTime ?? ctx.now.iso, ...extra };
  if (fields.readPoint) event.readPoint = fields.readPoint;
  if (fields.bizLocation) event.bizLocation = fields.bizLocation;
  return event;
}
