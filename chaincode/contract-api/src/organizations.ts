// Generated from network/consortium.yaml by `node scripts/gen-organizations.js`; do not edit.
// The chaincode cannot read files, so the consortium's organisation kinds are compiled in; a test
// fails when this table and the consortium definition disagree. Adding an organisation is a
// chaincode upgrade (new sequence), as changing the endorsement policy already is.

export type OrgKind = 'provider' | 'payer' | 'manufacturer' | 'distributor' | 'regulator' | 'research';

export const ORGANIZATION_KINDS: Readonly<Record<string, OrgKind>> = {
  Hospital1MSP: 'provider',
  Hospital2MSP: 'provider',
  InsurerMSP: 'payer',
  ManufacturerMSP: 'manufacturer',
  DistributorMSP: 'distributor',
  ResearchMSP: 'research',
};
