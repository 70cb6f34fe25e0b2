/** The audit contract: asset history and the accounting of disclosures. */
import { AccountingRequest, GetDisclosureRequest, HistoryEntrySchema, HistoryRequest } from '../audit';
import { DisclosureSchema } from '../disclosures';
import { defineContract } from './spec';

export const AUDIT = defineContract('audit', {
  history: {
    mode: 'evaluate', request: HistoryRequest,
    callers: {
      rule: 'auditors; staff (non-patient roles) of an organisation party to the asset (one that wrote it or is named by it); the patient the asset names, or a delegate',
    },
    summary: 'History of an asset, newest first (pack: id = GTIN, serial in the query)',
    items: HistoryEntrySchema,
  },
  accountingOfDisclosures: {
    mode: 'evaluate', request: AccountingRequest,
    callers: {
      roles: ['patient', 'auditor', 'records-admin'],
      rule: 'the patient or a delegate; auditors (all entries); records-admins (entries of records their organisation holds)',
    },
    summary: "Accounting of disclosures of a patient's records in [from, to]",
    items: DisclosureSchema,
  },
  getDisclosure: {
    mode: 'evaluate', request: GetDisclosureRequest,
    callers: {
      roles: ['patient', 'auditor', 'records-admin'],
      rule: 'as the accounting: the patient it names or a delegate; auditors; records-admins of the organisation holding the record',
    },
    summary: 'One disclosure entry',
    result: DisclosureSchema,
  },
});
