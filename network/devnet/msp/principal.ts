import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { canonicalCertificate } from './canonical';
import { MspError } from './errors';
import type { MspIdentity } from './identity';
import type { NodeRole } from './msp';

const { Classification } = msp.MSPPrincipal;
const { MSPRoleType } = msp.MSPRole;

const ROLE_NAMES: Record<number, string> = { 0: 'MEMBER', 1: 'ADMIN', 2: 'CLIENT', 3: 'PEER', 4: 'ORDERER' };
const NODE_ROLE: Record<number, NodeRole> = { [MSPRoleType.CLIENT]: 'client', [MSPRoleType.PEER]: 'peer', [MSPRoleType.ORDERER]: 'orderer' };

function fail(message: string): never {
  throw new MspError('principal', message);
}

function sameMsp(id: MspIdentity, expected: string): void {
  if (expected !== id.mspId) fail(`the identity is a member of a different MSP (expected ${expected}, got ${id.mspId})`);
}

function validated(id: MspIdentity): void {
  try {
    id.validate();
  } catch (err) {
    fail(`The identity is not valid under this MSP [${id.mspId}]: ${(err as Error).message}`);
  }
}

/** Policies hold their principals for their lifetime; decode each once. */
const decodedRoles = new WeakMap<msp.MSPPrincipal, msp.MSPRole>();

function checkRole(id: MspIdentity, principal: msp.MSPPrincipal): void {
  let role = decodedRoles.get(principal);
  if (!role) {
    role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
    decodedRoles.set(principal, role);
  }
  sameMsp(id, role.getMspIdentifier());
  validated(id);
  const wanted = role.getRole();
  if (wanted === MSPRoleType.MEMBER) return;
  if (wanted === MSPRoleType.ADMIN) {
    if (!id.isAdmin) fail(`The identity is not an admin under this MSP [${id.mspId}]`);
    return;
  }
  const nodeRole = NODE_ROLE[wanted];
  if (nodeRole === undefined) fail(`invalid MSP role type ${wanted}`);
  if (id.msp.nodeOUs === false) fail(`NodeOUs not activated. Cannot tell apart identities.`);
  if (id.nodeRole !== nodeRole) fail(`The identity is not a [${ROLE_NAMES[wanted] ?? wanted}] under this MSP [${id.mspId}]`);
}

function checkIdentity(id: MspIdentity, bytes: Uint8Array): void {
  const principal = msp.SerializedIdentity.deserializeBinary(bytes);
  sameMsp(id, principal.getMspid());
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(principal.getIdBytes_asU8()));
  } catch {
    fail('could not deserialize principal identity');
  }
  // Both sides in Fabric's sanitized (low-S) form; equal TBS implies the same issuer.
  if (!canonicalCertificate(cert, id.issuer).equals(id.canonical)) fail('The identities do not match');
  validated(id);
}

function checkOrganizationUnit(id: MspIdentity, bytes: Uint8Array): void {
  const unit = msp.OrganizationUnit.deserializeBinary(bytes);
  sameMsp(id, unit.getMspIdentifier());
  validated(id);
  // Fabric matches the OU value and the certifiers identifier (hash of the chain above the leaf).
  const certifiers = Buffer.from(unit.getCertifiersIdentifier_asU8()).toString('hex');
  const own = id.msp.certifiersIdentifier(id.chain);
  if (!id.ous.some((ou) => ou === unit.getOrganizationalUnitIdentifier() && certifiers === own)) fail('The identities do not match');
}

/**
 * Throws unless the identity satisfies the principal (Fabric's `SatisfiesPrincipal`, V1.4.3
 * semantics): ROLE, IDENTITY, ORGANIZATION_UNIT, ANONYMITY (X.509 is nominal) and COMBINED.
 */
export function checkPrincipal(id: MspIdentity, principal: msp.MSPPrincipal): void {
  switch (principal.getPrincipalClassification()) {
    case Classification.ROLE:
      return checkRole(id, principal);
    case Classification.IDENTITY:
      return checkIdentity(id, principal.getPrincipal_asU8());
    case Classification.ORGANIZATION_UNIT:
      return checkOrganizationUnit(id, principal.getPrincipal_asU8());
    case Classification.ANONYMITY:
      if (msp.MSPIdentityAnonymity.deserializeBinary(principal.getPrincipal_asU8()).getAnonymityType() !== msp.MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL) {
        fail('Principal is anonymous, but X.509 MSP does not support anonymous identities');
      }
      return;
    case Classification.COMBINED:
      for (const inner of msp.CombinedPrincipal.deserializeBinary(principal.getPrincipal_asU8()).getPrincipalsList()) checkPrincipal(id, inner);
      return;
    default:
      fail(`invalid principal type ${String(principal.getPrincipalClassification())}`);
  }
}
