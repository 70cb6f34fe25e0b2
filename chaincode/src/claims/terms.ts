import { epochMsFromIso } from '../shared';
import { fail, type UpdateCoverageRequest } from '@healthledger/contract-api';
import { checkServiceCode, codeKey } from './codes';

/** Checks what the schema cannot: real calendar dates, a forward period, code forms, no repeated benefit. */
export function checkTerms(terms: Omit<UpdateCoverageRequest, 'coverageId'>): void {
  checkDate(terms.period.start, 'request/period/start');
  checkDate(terms.period.end, 'request/period/end');
  if (terms.period.end < terms.period.start) fail('VALIDATION_FAILED', 'request/period/end: before the start');
  const seen = new Set<string>();
  terms.benefits.forEach((b, i) => {
    checkServiceCode(b.system, b.code, `request/benefits/${i}/code`);
    if (seen.has(codeKey(b))) fail('VALIDATION_FAILED', `request/benefits/${i}: code listed twice`);
    seen.add(codeKey(b));
  });
}

/** Fails unless `text` is a real `YYYY-MM-DD` date. */
export function checkDate(text: string, where: string): void {
  if (epochMsFromIso(text) === undefined) fail('VALIDATION_FAILED', `${where}: not a calendar date`);
}
