/** The roles a healthledger identity carries (certificate attribute `role`). */
export const ROLES = [
  'patient',
  'clinician',
  'records-admin',
  'billing',
  'adjudicator',
  'manufacturer',
  'distributor',
  'dispenser',
  'auditor',
  'admin',
  'researcher',
] as const;
export type Role = (typeof ROLES)[number];
