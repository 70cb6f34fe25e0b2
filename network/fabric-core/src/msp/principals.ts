import { msp } from '@hyperledger/fabric-protos';

/** The MSP roles a ROLE principal names, as the policy DSL spells them. */
export type PrincipalRole = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

const ROLE_VALUES: Record<PrincipalRole, msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]> = {
  member: msp.MSPRole.MSPRoleType.MEMBER,
  admin: msp.MSPRole.MSPRoleType.ADMIN,
  client: msp.MSPRole.MSPRoleType.CLIENT,
  peer: msp.MSPRole.MSPRoleType.PEER,
  orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

/** `MSPPrincipal{ROLE, MSPRole{mspId, role}}` (what `'Org1MSP.peer'` means in the DSL). */
export function rolePrincipal(mspId: string, role: PrincipalRole): msp.MSPPrincipal {
  const mspRole = new msp.MSPRole();
  mspRole.setMspIdentifier(mspId);
  mspRole.setRole(ROLE_VALUES[role]);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(mspRole.serializeBinary());
  return principal;
}

/** `MSPPrincipal{IDENTITY, SerializedIdentity}`: exactly this certificate. */
export function identityPrincipal(serializedIdentity: Uint8Array): msp.MSPPrincipal {
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.IDENTITY);
  principal.setPrincipal(serializedIdentity);
  return principal;
}

/** `MSPPrincipal{ORGANIZATION_UNIT, OrganizationUnit}`; `certifiersIdentifier` as Fabric computes it. */
export function organizationUnitPrincipal(mspId: string, ou: string, certifiersIdentifier: Uint8Array): msp.MSPPrincipal {
  const unit = new msp.OrganizationUnit();
  unit.setMspIdentifier(mspId);
  unit.setOrganizationalUnitIdentifier(ou);
  unit.setCertifiersIdentifier(certifiersIdentifier);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ORGANIZATION_UNIT);
  principal.setPrincipal(unit.serializeBinary());
  return principal;
}
