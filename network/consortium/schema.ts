/**
 * JSON Schema of `network/consortium.yaml`. Structural rules live here; rules that relate one
 * field to another (unique ids, roles that need an id attribute, policy principals) live in
 * `validate.ts`.
 */

export const ORG_KINDS = ['provider', 'payer', 'manufacturer', 'distributor', 'regulator', 'research'] as const;
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

const mspId = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*MSP$' };
const port = { type: 'integer', minimum: 1, maximum: 65535 };
const domain = { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' };
const name = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 64 };

export const consortiumSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'chaincode', 'orderer', 'organizations'],
  properties: {
    channel: { type: 'string', pattern: '^[a-z][a-z0-9.-]*$', maxLength: 249 },
    chaincode: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version', 'sequence', 'endorsementPolicy'],
      properties: {
        name: { type: 'string', pattern: '^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$' },
        version: { type: 'string', minLength: 1 },
        sequence: { type: 'integer', minimum: 1 },
        endorsementPolicy: { type: 'string', minLength: 1 },
        address: { type: 'string', pattern: '^[^:]+:[0-9]+$' },
      },
    },
    orderer: {
      type: 'object',
      additionalProperties: false,
      required: ['mspId', 'domain', 'port'],
      properties: {
        mspId,
        domain,
        port,
        batchTimeoutMs: { type: 'integer', minimum: 0, maximum: 60000 },
        maxMessageCount: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    },
    collections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'memberOrgs'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' },
          memberOrgs: { type: 'array', minItems: 1, items: mspId, uniqueItems: true },
          requiredPeerCount: { type: 'integer', minimum: 0 },
          maxPeerCount: { type: 'integer', minimum: 0 },
          blockToLive: { type: 'integer', minimum: 0 },
          memberOnlyRead: { type: 'boolean' },
          memberOnlyWrite: { type: 'boolean' },
          endorsementPolicy: { type: 'string', minLength: 1 },
        },
      },
    },
    organizations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['mspId', 'name', 'kind', 'domain', 'peers', 'users'],
        properties: {
          mspId,
          name: { type: 'string', minLength: 1 },
          kind: { enum: [...ORG_KINDS] },
          domain,
          peers: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'port'],
              properties: { name, port },
            },
          },
          users: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'role'],
              properties: {
                name,
                role: { enum: [...ROLES] },
                patientId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$' },
                practitionerId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$' },
              },
            },
          },
        },
      },
    },
  },
} as const;
