/**
 * Record version ⇄ FHIR R4 Provenance. Each version of a record (the ledger keeps a hash chain of
 * them) is a Provenance whose target is that version of the DocumentReference, activity CREATE
 * (version 1) or UPDATE, agent the author (pseudonymous actor, on behalf of its organisation),
 * and entity the previous version it revises. The hashes are the `content-hash` and
 * `previous-hash` extensions, the author's transaction the `author` stamp.
 */
import { LOCAL, SYSTEM } from './codes';
import { ext, extString } from './extensions';
import { codeIn, concept, invalid, mspIdOf, organizationReference } from './references';
import { stampExt, stampOf, type Stamp } from './stamp';
import type { CodeableConcept, Reference, Resource } from './types';

/** One version of a record's content (chaincode `RecordVersion`). */
export interface LedgerRecordVersion {
  version: number;
  contentHash: string;
  previousHash: string | null;
  at: string;
  author: Stamp;
}

/** A FHIR Provenance as this interface emits it. */
export interface FhirProvenance extends Resource {
  resourceType: 'Provenance';
  target: Reference[];
  recorded: string;
  activity: CodeableConcept;
  agent: { type: CodeableConcept; role: CodeableConcept[]; who: Reference; onBehalfOf: Reference }[];
  entity?: { role: 'revision'; what: Reference }[];
}

/** `DocumentReference/<recordId>/_history/<version>`. */
export function versionReference(recordId: string, version: number): Reference {
  return { reference: `DocumentReference/${recordId}/_history/${version}` };
}

/** The Provenance id of a record version: `<recordId>-v<version>`. */
export function provenanceId(recordId: string, version: number): string {
  return `${recordId}-v${version}`;
}

/** The record id and version of a Provenance id, or undefined if it is not one. */
export function parseProvenanceId(id: string): { recordId: string; version: number } | undefined {
  const m = /^(.+)-v([1-9][0-9]{0,8})$/.exec(id);
  return m ? { recordId: m[1] as string, version: Number(m[2]) } : undefined;
}

/** One version of the record `recordId` as a FHIR Provenance. */
export function versionToFhir(recordId: string, v: LedgerRecordVersion): FhirProvenance {
  const id = provenanceId(recordId, v.version);
  return {
    resourceType: 'Provenance',
    ...(/^[A-Za-z0-9\-.]{1,64}$/.test(id) ? { id } : {}),
    extension: [...ext('content-hash', v.contentHash), ...ext('previous-hash', v.previousHash ?? undefined), ...stampExt(v.author, 'author')],
    target: [versionReference(recordId, v.version)],
    recorded: v.at,
    activity: concept(SYSTEM.dataOperation, v.version === 1 ? 'CREATE' : 'UPDATE'),
    agent: [
      {
        type: concept(SYSTEM.provenanceAgentType, 'author'),
        role: [concept(LOCAL.role, v.author.role)],
        who: { identifier: { system: LOCAL.actor, value: v.author.actor } },
        onBehalfOf: organizationReference(v.author.org),
      },
    ],
    ...(v.version > 1 ? { entity: [{ role: 'revision' as const, what: versionReference(recordId, v.version - 1) }] } : {}),
  };
}

/** The record id and version back from a Provenance this interface emitted (the round trip). */
export function versionFromFhir(r: FhirProvenance): { recordId: string; version: LedgerRecordVersion } {
  const m = /^DocumentReference\/(.+)\/_history\/([0-9]+)$/.exec(r.target[0]?.reference ?? '');
  const contentHash = extString(r, 'content-hash');
  const [agent] = r.agent;
  if (!m || contentHash === undefined || !agent) throw invalid('Provenance: a DocumentReference version target, content-hash and agent are required');
  const author = stampOf(r, 'author');
  if (codeIn(agent.role[0], LOCAL.role) !== author.role || mspIdOf(agent.onBehalfOf, 'Provenance.agent.onBehalfOf') !== author.org) {
    throw invalid('Provenance.agent does not match the author stamp');
  }
  return {
    recordId: m[1] as string,
    version: { version: Number(m[2]), contentHash, previousHash: extString(r, 'previous-hash') ?? null, at: r.recorded, author },
  };
}
