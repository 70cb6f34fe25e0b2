/**
 * Money: the ledger counts integer minor units (cents), FHIR's Money is a decimal amount in the
 * currency's major unit. The currency's ISO 4217 exponent decides the scale.
 */
import type { Money } from './types';
import { invalid } from './references';

const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

function exponentOf(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  return THREE_DECIMALS.has(currency) ? 3 : 2;
}

/** Minor units as FHIR Money. */
export function money(minor: number, currency: string): Money {
  return { value: minor / 10 ** exponentOf(currency), currency };
}

/** FHIR Money as minor units of `currency` (the currency must match; fractions of a minor unit are refused). */
export function minorUnits(value: Money | undefined, currency: string, where: string): number {
  if (value?.value === undefined) throw invalid(`${where}: an amount is required`);
  if (value.currency !== undefined && value.currency !== currency) throw invalid(`${where}: currency ${value.currency} is not ${currency}`);
  const scaled = value.value * 10 ** exponentOf(currency);
  const minor = Math.round(scaled);
  if (Math.abs(scaled - minor) > 1e-6) throw invalid(`${where}: more decimals than ${currency} has`);
  return minor;
}
