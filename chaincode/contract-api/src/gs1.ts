/**
 * GS1 identifiers used by traceability: GTIN-14, SSCC-18, serial numbers (AI 21), the EPC URN
 * forms of SGTIN and SSCC (GS1 EPC Tag Data Standard), element strings (`(01)…(21)…` and the
 * raw FNC1/GS-separated barcode form) and GS1 Digital Link URIs.
 *
 * The company-prefix length cannot be derived from a GTIN alone: URN input carries it (the dot
 * after the company prefix), and for GTIN → URN conversion callers take it from the product's
 * master data (`Product.companyPrefixLength`).
 */

/** GS1 AI 21 serial: the 82-character set (CSET 82), 1–20 characters. */
export const SERIAL_PATTERN = "^[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}$";
const SERIAL_RE = new RegExp(SERIAL_PATTERN);
/** AI 10 batch/lot uses the same character set and length. */
export const LOT_PATTERN = SERIAL_PATTERN;

/** The GS1 mod-10 check digit for the digits that precede it. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = Number(digitsWithoutCheck[digitsWithoutCheck.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

function hasValidCheckDigit(digits: string, length: number): boolean {
  if (digits.length !== length || !/^\d+$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits[length - 1]);
}

/** True for 14 digits with a correct check digit. */
export function isValidGtin14(gtin: string): boolean {
  return hasValidCheckDigit(gtin, 14);
}

/** True for 18 digits with a correct check digit. */
export function isValidSscc18(sscc: string): boolean {
  return hasValidCheckDigit(sscc, 18);
}

/** True for a serial in the GS1 AI 21 character set, 1–20 characters. */
export function isValidSerial(serial: string): boolean {
  return SERIAL_RE.test(serial);
}

/** A GTIN-8/12/13/14 padded to 14 digits, or undefined if it is not a valid GTIN. */
export function toGtin14(gtin: string): string | undefined {
  if (![8, 12, 13, 14].includes(gtin.length)) return undefined;
  const padded = gtin.padStart(14, '0');
  return isValidGtin14(padded) ? padded : undefined;
}

// --- EPC URNs (GS1 Tag Data Standard §6.3) ----------------------------------------------------

// Characters of CSET 82 that the EPC pure-identity URI must percent-encode (TDS Table A-1).
const URI_ESCAPES: Record<string, string> = { '"': '%22', '%': '%25', '&': '%26', '/': '%2F', '<': '%3C', '>': '%3E', '?': '%3F' };

function escapeSerial(serial: string): string {
  return serial.replace(/["%&/<>?]/g, (c) => URI_ESCAPES[c] ?? c);
}

function unescapeSerial(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function assertPrefixLength(companyPrefixLength: number): void {
  if (!Number.isInteger(companyPrefixLength) || companyPrefixLength < 6 || companyPrefixLength > 12) {
    throw new RangeError('company prefix length must be 6–12');
  }
}

/** `urn:epc:id:sgtin:<CompanyPrefix>.<Indicator+ItemRef>.<serial>` for a GTIN-14 and serial. */
export function sgtinUrn(gtin14: string, serial: string, companyPrefixLength: number): string {
  assertPrefixLength(companyPrefixLength);
  const companyPrefix = gtin14.slice(1, 1 + companyPrefixLength);
  const indicatorItemRef = gtin14[0] + gtin14.slice(1 + companyPrefixLength, 13);
  return `urn:epc:id:sgtin:${companyPrefix}.${indicatorItemRef}.${escapeSerial(serial)}`;
}

/** An SGTIN in plain form, with the company-prefix length the URN revealed. */
export interface Sgtin {
  gtin: string;
  serial: string;
  companyPrefixLength?: number;
}

/** Parses an SGTIN URN; undefined if it is not one or its parts are invalid. */
export function parseSgtinUrn(urn: string): Sgtin | undefined {
  const m = /^urn:epc:id:sgtin:(\d{6,12})\.(\d{1,7})\.(.+)$/.exec(urn);
  if (!m?.[1] || !m[2] || !m[3] || m[1].length + m[2].length !== 13) return undefined;
  const body = m[2][0] + m[1] + m[2].slice(1);
  const gtin = body + String(gs1CheckDigit(body));
  const serial = unescapeSerial(m[3]);
  if (serial === undefined || !isValidSerial(serial)) return undefined;
  return { gtin, serial, companyPrefixLength: m[1].length };
}

/** `urn:epc:id:sscc:<CompanyPrefix>.<Extension+SerialRef>` for an SSCC-18. */
export function ssccUrn(sscc18: string, companyPrefixLength: number): string {
  assertPrefixLength(companyPrefixLength);
  return `urn:epc:id:sscc:${sscc18.slice(1, 1 + companyPrefixLength)}.${sscc18[0]}${sscc18.slice(1 + companyPrefixLength, 17)}`;
}

/** Parses an SSCC URN into the SSCC-18 (check digit computed) and the company-prefix length. */
export function parseSsccUrn(urn: string): { sscc: string; companyPrefixLength: number } | undefined {
  const m = /^urn:epc:id:sscc:(\d{6,12})\.(\d{5,11})$/.exec(urn);
  if (!m?.[1] || !m[2] || m[1].length + m[2].length !== 17) return undefined;
  const body = m[2][0] + m[1] + m[2].slice(1);
  return { sscc: body + String(gs1CheckDigit(body)), companyPrefixLength: m[1].length };
}

/** GS1 Digital Link for an SSCC, used where the company-prefix length is unknown. */
export function ssccDigitalLink(sscc18: string): string {
  return `https://id.gs1.org/00/${sscc18}`;
}

// --- element strings and Digital Link ---------------------------------------------------------

/** What a 2D barcode or Digital Link carries. Expiry is `YYYY-MM-DD`. */
export interface Gs1Data {
  gtin?: string;
  serial?: string;
  lot?: string;
  expiry?: string;
  sscc?: string;
}

const FIXED_LENGTH: Record<string, number> = { '00': 18, '01': 14, '17': 6 };
const VARIABLE_AIS = new Set(['10', '21']);
const GS = '\u001d';

/**
 * Parses a GS1 element string in human-readable form `(01)…(17)…(10)…(21)…` or raw barcode form
 * (AIs concatenated, variable-length fields ended by GS / FNC1). `referenceYear` resolves the
 * two-digit expiry year (GS1 General Specifications §7.12). Undefined if malformed.
 */
export function parseElementString(text: string, referenceYear: number): Gs1Data | undefined {
  const fields = text.startsWith('(') ? splitParenthesised(text) : splitRaw(text.replace(/^\]d2/, '').replace(/^\u001d/, ''));
  if (!fields) return undefined;
  return dataOf(fields, referenceYear);
}

function splitParenthesised(text: string): [string, string][] | undefined {
  const fields: [string, string][] = [];
  for (const m of text.matchAll(/\((\d{2})\)([^(]*)/g)) fields.push([m[1] ?? '', m[2] ?? '']);
  return fields.map((f) => `(${f[0]})${f[1]}`).join('') === text ? fields : undefined;
}

function splitRaw(text: string): [string, string][] | undefined {
  const fields: [string, string][] = [];
  let rest = text;
  while (rest.length > 0) {
    const ai = rest.slice(0, 2);
    const fixed = FIXED_LENGTH[ai];
    if (fixed !== undefined) {
      fields.push([ai, rest.slice(2, 2 + fixed)]);
      rest = rest.slice(2 + fixed);
    } else if (VARIABLE_AIS.has(ai)) {
      const end = rest.indexOf(GS);
      fields.push([ai, end < 0 ? rest.slice(2) : rest.slice(2, end)]);
      rest = end < 0 ? '' : rest.slice(end + 1);
    } else {
      return undefined;
    }
  }
  return fields;
}

function dataOf(fields: [string, string][], referenceYear: number): Gs1Data | undefined {
  const data: Gs1Data = {};
  for (const [ai, value] of fields) {
    if (ai === '01' && isValidGtin14(value)) data.gtin = value;
    else if (ai === '00' && isValidSscc18(value)) data.sscc = value;
    else if (ai === '21' && isValidSerial(value)) data.serial = value;
    else if (ai === '10' && isValidSerial(value)) data.lot = value;
    else if (ai === '17' && expiryFromYymmdd(value, referenceYear)) data.expiry = expiryFromYymmdd(value, referenceYear);
    else return undefined;
  }
  return data;
}

/**
 * `YYMMDD` → `YYYY-MM-DD`. The century puts the year within −49…+50 of `referenceYear`; day `00`
 * means the last day of the month (GS1 General Specifications §3.4.6 and §7.12).
 */
export function expiryFromYymmdd(yymmdd: string, referenceYear: number): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return undefined;
  const [yy, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return undefined;
  const century = Math.floor(referenceYear / 100) * 100;
  const diff = yy - (referenceYear % 100);
  const year = diff >= 51 ? century - 100 + yy : diff <= -50 ? century + 100 + yy : century + yy;
  const last = daysInMonth(year, month);
  const d = day === 0 ? last : day;
  if (d > last) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Parses a GS1 Digital Link URI (any host), e.g. `https://id.gs1.org/01/09506000134352/21/ABC?17=271231&10=L1`
 * or `…/00/<sscc>`. Undefined if it is not one.
 */
export function parseDigitalLink(uri: string, referenceYear: number): Gs1Data | undefined {
  const m = /^https?:\/\/[^/]+((?:\/[^/?#]*)*?)\/(01|00)\/(\d{8,18})((?:\/\d{2}\/[^/?#]+)*)(?:\?([^#]*))?$/.exec(uri);
  if (!m?.[2] || !m[3]) return undefined;
  const fields: [string, string][] = [];
  const primary = m[2] === '01' ? toGtin14(m[3]) : m[3];
  if (!primary) return undefined;
  fields.push([m[2], primary]);
  const path = (m[4] ?? '').split('/').slice(1);
  for (let i = 0; i + 1 < path.length; i += 2) fields.push([path[i] ?? '', unescapeSerial(path[i + 1] ?? '') ?? '']);
  for (const pair of (m[5] ?? '').split('&').filter((p) => /^\d{2}=/.test(p))) {
    fields.push([pair.slice(0, 2), unescapeSerial(pair.slice(3)) ?? '']);
  }
  return dataOf(fields, referenceYear);
}
