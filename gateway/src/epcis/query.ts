/**
 * The EPCIS 2.0 query interface's common parameters (`GET /epcis/events`, REST binding; lists
 * are `|`-separated), answered from pack histories: each pack named by `MATCH_epc` or
 * `MATCH_anyEPC` is read with `trace:packHistory`, the events of all of them are merged (one
 * event that moved several of the packs appears once, with all of them) and filtered. The
 * ledger keeps no index over every event, so a query must name its packs (SGTINs, at most
 * {@link MAX_QUERY_EPCS}); without one it is refused as too complex. Parameters this ledger
 * cannot answer are refused by name rather than ignored.
 */
import { cbvTerm, EPCIS_CONTEXT, parseDigitalLink, parseSgtinUrn, type PackId } from '@healthledger/contract-api';
import { HttpProblem } from '../errors/problem';

/** Packs one query may name. */
export const MAX_QUERY_EPCS = 20;

/** The parameters {@link parseEventQuery} understands. */
export const QUERY_PARAMETERS = [
  'eventType', 'GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime', 'EQ_action', 'EQ_bizStep', 'EQ_disposition', 'EQ_readPoint', 'EQ_bizLocation',
  'EQ_eventID', 'MATCH_epc', 'MATCH_anyEPC',
] as const;
type QueryParameter = (typeof QUERY_PARAMETERS)[number];

/** A parsed query: the packs to read and the filters to apply. */
export interface EventQuery {
  packs: PackId[];
  /** The EPCs as given, per match kind. */
  epc: string[];
  anyEpc: string[];
  lists: Partial<Record<'eventType' | 'EQ_action' | 'EQ_bizStep' | 'EQ_disposition' | 'EQ_readPoint' | 'EQ_bizLocation' | 'EQ_eventID', string[]>>;
  times: Partial<Record<'GE_eventTime' | 'LT_eventTime' | 'GE_recordTime' | 'LT_recordTime', number>>;
}

/** An EPCIS event as the ledger emits it. */
export type EpcisEventJson = Record<string, unknown>;

/** Parses the query string; refuses unknown parameters, bad values and queries naming no pack. */
export function parseEventQuery(query: Record<string, unknown>, referenceYear: number): EventQuery {
  const unknown = Object.keys(query).find((k) => !(QUERY_PARAMETERS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new HttpProblem('EPCIS_QUERY_PARAMETER_INVALID', `${unknown}: not a query parameter this ledger answers (supported: ${QUERY_PARAMETERS.join(', ')})`);
  const list = (name: QueryParameter): string[] | undefined => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') throw new HttpProblem('EPCIS_QUERY_PARAMETER_INVALID', `${name}: give it once, values separated by |`);
    const values = raw.split('|').filter((v) => v.length > 0);
    if (values.length === 0) throw new HttpProblem('EPCIS_QUERY_PARAMETER_INVALID', `${name}: is empty`);
    return values;
  };
  const out: EventQuery = { packs: [], epc: list('MATCH_epc') ?? [], anyEpc: list('MATCH_anyEPC') ?? [], lists: {}, times: {} };
  for (const name of ['eventType', 'EQ_action', 'EQ_bizStep', 'EQ_disposition', 'EQ_readPoint', 'EQ_bizLocation', 'EQ_eventID'] as const) {
    const values = list(name);
    if (values) out.lists[name] = name === 'EQ_bizStep' || name === 'EQ_disposition' ? values.map(cbvTerm) : values;
  }
  for (const name of ['GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime'] as const) {
    const value = list(name)?.[0];
    if (value === undefined) continue;
    const ms = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw new HttpProblem('EPCIS_QUERY_PARAMETER_INVALID', `${name}: not an ISO 8601 date-time`);
    out.times[name] = ms;
  }
  const epcs = [...new Set([...out.epc, ...out.anyEpc])];
  if (epcs.length === 0) throw new HttpProblem('EPCIS_QUERY_TOO_COMPLEX', 'Name the packs: MATCH_epc or MATCH_anyEPC with SGTINs (the ledger has no index over every event)');
  if (epcs.length > MAX_QUERY_EPCS) throw new HttpProblem('EPCIS_QUERY_TOO_COMPLEX', `At most ${MAX_QUERY_EPCS} EPCs per query`);
  out.packs = uniquePacks(epcs.map((epc) => packOf(epc, referenceYear)));
  return out;
}

function packOf(epc: string, referenceYear: number): PackId {
  const sgtin = parseSgtinUrn(epc);
  if (sgtin) return { gtin: sgtin.gtin, serial: sgtin.serial };
  const link = epc.startsWith('http') ? parseDigitalLink(epc, referenceYear) : undefined;
  if (link?.gtin && link.serial) return { gtin: link.gtin, serial: link.serial };
  throw new HttpProblem('EPCIS_QUERY_TOO_COMPLEX', `${epc}: only SGTINs (URN or GS1 Digital Link) are matched; EPC patterns, SSCCs and classes are not`);
}

function uniquePacks(packs: PackId[]): PackId[] {
  const seen = new Map(packs.map((p) => [`${p.gtin}/${p.serial}`, p]));
  return [...seen.values()];
}

/**
 * The events of several histories as one list, oldest first: events with the same `eventID`
 * (one transaction that moved several packs) are merged, their EPC lists joined.
 */
export function mergeHistories(histories: EpcisEventJson[][]): EpcisEventJson[] {
  const byId = new Map<string, EpcisEventJson>();
  const anonymous: EpcisEventJson[] = [];
  for (const event of histories.flat()) {
    const id = typeof event['eventID'] === 'string' ? event['eventID'] : undefined;
    const seen = id === undefined ? undefined : byId.get(id);
    if (id === undefined) anonymous.push(event);
    else if (!seen) byId.set(id, { ...event });
    else for (const field of ['epcList', 'childEPCs']) joinList(seen, event, field);
  }
  return [...byId.values(), ...anonymous].sort((a, b) => timeOf(a, 'eventTime') - timeOf(b, 'eventTime'));
}

function joinList(into: EpcisEventJson, from: EpcisEventJson, field: string): void {
  const a = into[field];
  const b = from[field];
  if (Array.isArray(a) && Array.isArray(b)) into[field] = [...new Set([...asStrings(a), ...asStrings(b)])];
}

function timeOf(event: EpcisEventJson, field: 'eventTime' | 'recordTime'): number {
  const value = event[field];
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/** Whether `event` satisfies every filter of `query`. */
export function matchesQuery(event: EpcisEventJson, query: EventQuery): boolean {
  const { lists, times } = query;
  const field = (name: string) => {
    const value = event[name];
    return typeof value === 'string' ? value : undefined;
  };
  const idOf = (name: string) => {
    const location = event[name];
    return typeof location === 'object' && location !== null && 'id' in location && typeof location.id === 'string' ? location.id : undefined;
  };
  const oneOf = (values: string[] | undefined, value: string | undefined) => values === undefined || (value !== undefined && values.includes(value));
  const bizStep = field('bizStep');
  const disposition = field('disposition');
  return (
    oneOf(lists.eventType, field('type')) &&
    oneOf(lists.EQ_action, field('action')) &&
    oneOf(lists.EQ_bizStep, bizStep === undefined ? undefined : cbvTerm(bizStep)) &&
    oneOf(lists.EQ_disposition, disposition === undefined ? undefined : cbvTerm(disposition)) &&
    oneOf(lists.EQ_readPoint, idOf('readPoint')) &&
    oneOf(lists.EQ_bizLocation, idOf('bizLocation')) &&
    oneOf(lists.EQ_eventID, field('eventID')) &&
    within(timeOf(event, 'eventTime'), times.GE_eventTime, times.LT_eventTime) &&
    within(timeOf(event, 'recordTime'), times.GE_recordTime, times.LT_recordTime) &&
    matchesEpcs(event, query)
  );
}

function within(ms: number, from: number | undefined, before: number | undefined): boolean {
  return (from === undefined || ms >= from) && (before === undefined || ms < before);
}

/** MATCH_epc: epcList or childEPCs names one of the packs; MATCH_anyEPC: those or parentID. */
function matchesEpcs(event: EpcisEventJson, query: EventQuery): boolean {
  const listed = [...asStrings(event['epcList']), ...asStrings(event['childEPCs'])];
  const parent = asStrings(event['parentID']);
  const hits = (epcs: string[], candidates: string[]) => candidates.some((c) => epcs.some((e) => sameEpc(c, e)));
  if (query.epc.length > 0 && !hits(query.epc, listed)) return false;
  if (query.anyEpc.length > 0 && !hits(query.anyEpc, [...listed, ...parent])) return false;
  return true;
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Two EPCs name the same pack (URN and Digital Link forms compare equal). */
function sameEpc(a: string, b: string): boolean {
  if (a === b) return true;
  const year = new Date().getUTCFullYear();
  const pa = tryPack(a, year);
  const pb = tryPack(b, year);
  return pa !== undefined && pb !== undefined && pa.gtin === pb.gtin && pa.serial === pb.serial;
}

function tryPack(epc: string, year: number): PackId | undefined {
  try {
    return packOf(epc, year);
  } catch {
    return undefined;
  }
}

/** The EPCISQueryDocument answering a SimpleEventQuery. */
export function queryDocument(eventList: EpcisEventJson[], creationDate: string): Record<string, unknown> {
  return {
    '@context': EPCIS_CONTEXT,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate,
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
  };
}
