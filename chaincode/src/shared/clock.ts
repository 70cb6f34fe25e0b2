import type { Context } from 'fabric-contract-api';

/**
 * The transaction's time, from the proposal timestamp every endorser sees identically. Chaincode
 * never reads the wall clock.
 */
export interface TxTime {
  /** Milliseconds since the epoch. */
  readonly epochMs: number;
  /** ISO 8601 UTC, millisecond precision. */
  readonly iso: string;
}

export function txTime(ctx: Context): TxTime {
  const ts = ctx.stub.getTxTimestamp();
  const epochMs = Number(ts.seconds.toString()) * 1000 + Math.floor(ts.nanos / 1_000_000);
  return { epochMs, iso: isoFromEpochMs(epochMs) };
}

const MS_PER_DAY = 86_400_000;

/** ISO 8601 from epoch milliseconds, computed arithmetically (no Date object in chaincode). */
export function isoFromEpochMs(epochMs: number): string {
  const days = Math.floor(epochMs / MS_PER_DAY);
  const msOfDay = epochMs - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hh = Math.floor(msOfDay / 3_600_000);
  const mm = Math.floor((msOfDay % 3_600_000) / 60_000);
  const ss = Math.floor((msOfDay % 60_000) / 1000);
  const ms = msOfDay % 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(ms, 3)}Z`;
}

/** Parses `YYYY-MM-DD` or an ISO 8601 UTC/offset timestamp into epoch ms; undefined if invalid. */
export function epochMsFromIso(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hh = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const ss = Number(m[6] ?? 0);
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  const frac = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hh * 60 + mi - offsetMin) * 60 + ss) * 1000 + frac;
}

/** The `YYYY-MM-DD` calendar date (UTC) of an epoch ms. */
export function dateOf(epochMs: number): string {
  return isoFromEpochMs(epochMs).slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

// Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
