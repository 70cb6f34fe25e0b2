import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { fail, ORGANIZATION_KINDS, ROLES, type OrgKind, type Role } from '@healthledger/contract-api';

/** Who is calling, as the chaincode sees it from the creator certificate (Fabric CA attributes). */
export interface Caller {
  readonly mspId: string;
  /** Kind of the caller's organisation; undefined for an organisation outside the consortium table. */
  readonly orgKind: OrgKind | undefined;
  readonly role: Role;
  /** Pseudonymous patient reference (attribute `patient_id`), for role patient. */
  readonly patientId: string | undefined;
  /** Practitioner id (attribute `practitioner_id`), for clinicians. */
  readonly practitionerId: string | undefined;
  /**
   * Pseudonymous, stable actor id: SHA-256 of the MSP id and the certificate's subject/issuer, so
   * the ledger records who acted without storing a name.
   */
  readonly actor: string;
}

export function callerOf(ctx: Context): Caller {
  const id = ctx.clientIdentity;
  const mspId = id.getMSPID();
  const role = id.getAttributeValue('role');
  if (!role || !(ROLES as readonly string[]).includes(role)) fail('IDENTITY_INVALID', 'role');
  return {
    mspId,
    orgKind: ORGANIZATION_KINDS[mspId],
    role: role as Role,
    patientId: id.getAttributeValue('patient_id') ?? undefined,
    practitionerId: id.getAttributeValue('practitioner_id') ?? undefined,
    actor: actorRef(mspId, id.getID()),
  };
}

/** The pseudonymous actor id for an MSP id and a Fabric `x509::subject::issuer` id. */
export function actorRef(mspId: string, x509Id: string): string {
  return createHash('sha256').update(`${mspId}\n${x509Id}`).digest('hex').slice(0, 32);
}
