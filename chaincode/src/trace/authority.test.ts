import type { Caller } from '../shared';
import { requireOwner, requireQuarantineAuthority, requireTrader } from './authority';

const caller = (mspId: string, role: Caller['role'], orgKind: Caller['orgKind']): Caller => ({ mspId, role, orgKind, patientId: undefined, practitionerId: undefined, actor: 'a'.repeat(32) });

// The default consortium has no regulator organisation, so the regulator path is tested here.
describe('quarantine authority', () => {
  it('admits the manufacturer role of the product’s manufacturer and a regulator’s auditor', () => {
    expect(() => requireQuarantineAuthority(caller('ManufacturerMSP', 'manufacturer', 'manufacturer'), 'ManufacturerMSP')).not.toThrow();
    expect(() => requireQuarantineAuthority(caller('FdaMSP', 'auditor', 'regulator'), 'ManufacturerMSP')).not.toThrow();
  });
  it('refuses other manufacturers, non-regulator auditors and other roles', () => {
    expect(() => requireQuarantineAuthority(caller('OtherMSP', 'manufacturer', 'manufacturer'), 'ManufacturerMSP')).toThrow('ORG_FORBIDDEN');
    expect(() => requireQuarantineAuthority(caller('InsurerMSP', 'auditor', 'payer'), 'ManufacturerMSP')).toThrow('ORG_FORBIDDEN');
    expect(() => requireQuarantineAuthority(caller('FdaMSP', 'admin', 'regulator'), 'ManufacturerMSP')).toThrow('ROLE_FORBIDDEN');
  });
});

describe('trading roles and ownership', () => {
  it('admits manufacturer, distributor and dispenser roles only', () => {
    for (const role of ['manufacturer', 'distributor', 'dispenser'] as const) expect(() => requireTrader(caller('X', role, 'distributor'))).not.toThrow();
    expect(() => requireTrader(caller('X', 'billing', 'provider'))).toThrow('ROLE_FORBIDDEN');
  });
  it('names the object a non-owner tried to act on', () => {
    expect(() => requireOwner(caller('A', 'distributor', 'distributor'), 'B', 'ref-1')).toThrow('NOT_OWNER: Only the current owner may do this: ref-1');
  });
});
