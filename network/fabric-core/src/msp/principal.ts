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

/**
 * The checks below return why the identity does not satisfy the principal (Fabric's text), or
 * undefined when it does. Policies try every identity against every principal, and most tries
 * fail (another org's principal); building an exception with its stack trace for each of them
 * was a measurable part of the devnet's CPU per transaction, so only `checkPrincipal` throws.
 */
type Mismatch = string | undefined;

function sameMsp(id: MspIdentity, expected: string): Mismatch {
  return expected === id.mspId ? undefined : `the identity is a member of a different MSP (expected ${expected}, got ${id.mspId})`;
}

function validated(id: MspIdentity): Mismatch {
  try {
    id.validate();
    return undefined;
  } catch (err) {
    return `The identity is not valid under this MSP [${id.mspId}]: ${(err as Error).message}`;
  }
}

/** Policies hold their principals for their lifetime; decode each once. */
const decodedRoles = new WeakMap<msp.MSPPrincipal, msp.MSPRole>();

function roleMismatch(id: MspIdentity, principal: msp.MSPPrincipal): Mismatch {
  let role = decodedRoles.get(principal);
  if (!role) {
    role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
    decodedRoles.set(principal, role);
  }
  const early = sameMsp(id, role.getMspIdentifier()) ?? validated(id);
  if (early !== undefined) return early;
  const wanted = role.getRole();
  if (wanted === MSPRoleType.MEMBER) return undefined;
  if (wanted === MSPRoleType.ADMIN) return id.isAdmin ? undefined : `The identity is not an admin under this MSP [${id.mspId}]`;
  const nodeRole = NODE_ROLE[wanted];
  if (nodeRole === undefined) return `invalid MSP role type ${wanted}`;
  if (id.msp.nodeOUs === false) return `NodeOUs not activated. Cannot tell apart identities.`;
  if (id.nodeRole !== nodeRole) return `The identity is not a [${ROLE_NAMES[wanted] ?? wanted}] under this MSP [${id.mspId}]`;
  return undefined;
}

function identityMismatch(id: MspIdentity, bytes: Uint8Array): Mismatch {
  const principal = msp.SerializedIdentity.deserializeBinary(bytes);
  const other = sameMsp(id, principal.getMspid());
  if (other !== undefined) return other;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(principal.getIdBytes_asU8()));
  } catch {
    return 'could not deserialize principal identity';
  }
  // Both sides in Fabric's sanitized (low-S) form; equal TBS implies the same issuer.
  if (!canonicalCertificate(cert, id.issuer).equals(id.canonical)) return 'The identities do not match';
  return validated(id);
}

function organizationUnitMismatch(id: MspIdentity, bytes: Uint8Array): Mismatch {
  const unit = msp.OrganizationUnit.deserializeBinary(bytes);
  const early = sameMsp(id, unit.getMspIdentifier()) ?? validated(id);
  if (early !== undefined) return early;
  // Fabric matches the OU value and the certifiers identifier (hash of the chain above the leaf).
  const certifiers = Buffer.from(unit.getCertifiersIdentifier_asU8()).toString('hex');
  const own = id.msp.certifiersIdentifier(id.chain);
  return id.ous.some((ou) => ou === unit.getOrganizationalUnitIdentifier() && certifiers === own) ? undefined : 'The identities do not match';
}

/**
 * Why the identity does not satisfy the principal (Fabric's `SatisfiesPrincipal`, V1.4.3
 * semantics: ROLE, IDENTITY, ORGANIZATION_UNIT, ANONYMITY (X.509 is nominal) and COMBINED), or
 * undefined when it does.
 */
export function principalMismatch(id: MspIdentity, principal: msp.MSPPrincipal): Mismatch {
  switch (principal.getPrincipalClassification()) {
    case Classification.ROLE:
      return roleMismatch(id, principal);
    case Classification.IDENTITY:
      return identityMismatch(id, principal.getPrincipal_asU8());
    case Classification.ORGANIZATION_UNIT:
      return organizationUnitMismatch(id, principal.getPrincipal_asU8());
    case Classification.ANONYMITY:
      return msp.MSPIdentityAnonymity.deserializeBinary(principal.getPrincipal_asU8()).getAnonymityType() === msp.MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL
        ? undefined
        : 'Principal is anonymous, but X.509 MSP does not support anonymous identities';
    case Classification.COMBINED:
      for (const inner of msp.CombinedPrincipal.deserializeBinary(principal.getPrincipal_asU8()).getPrincipalsList()) {
        const mismatch = principalMismatch(id, inner);
        if (mismatch !== undefined) return mismatch;
      }
      return undefined;
    default:
      return `invalid principal type ${String(principal.getPrincipalClassification())}`;
  }
}

/** Throws an {@link MspError} (stage `principal`) unless the identity satisfies the principal. */
export function checkPrincipal(id: MspIdentity, principal: msp.MSPPrincipal): void {
  const mismatch = principalMismatch(id, principal);
  if (mismatch !== undefined) throw new MspError('principal', mismatch);
}
