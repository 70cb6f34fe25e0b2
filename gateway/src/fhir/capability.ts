/**
 * The CapabilityStatement (`GET /fhir/metadata`), derived from the interaction table: a FHIR R4
 * server, JSON only, whose resources, interactions and search parameters are exactly those served.
 */
import type { ResourceInteractions } from './interactions';
import type { Resource } from './types';

/** The date this statement last changed in substance (it describes code, not data). */
const STATEMENT_DATE = '2026-12-05';

/** The CapabilityStatement of the FHIR interface at `base`. */
export function capabilityStatement(base: string, table: readonly ResourceInteractions[]): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: 'healthledger',
    kind: 'instance',
    software: { name: 'healthledger gateway' },
    implementation: { description: 'healthledger FHIR R4 interface over the Hyperledger Fabric ledger', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Patients appear only as pseudonymous Patient/<ref> references; there is no Patient resource. Errors are OperationOutcomes.',
        security: { cors: false, description: 'Bearer JWT or X-API-Key, as the rest of the gateway; the ledger decides who may read or write.' },
        resource: table.map((r) => ({
          type: r.type,
          documentation: r.documentation,
          interaction: [
            ...(r.read ? [{ code: 'read' }] : []),
            ...(r.search ? [{ code: 'search-type' }] : []),
            ...(r.create ? [{ code: 'create' }] : []),
          ],
          ...(r.read || r.create ? { versioning: 'no-version', readHistory: false, updateCreate: false } : {}),
          ...(r.search
            ? { searchParam: Object.entries(r.search.params).map(([name, p]) => ({ name, type: p.type, documentation: p.documentation })) }
            : {}),
        })),
      },
    ],
  };
}
