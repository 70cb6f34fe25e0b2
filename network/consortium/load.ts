import { PolicyError, policyPrincipals, type PolicyPrincipal } from '@healthledger/fabric-core/policy';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConsortiumError } from './errors';
import { validate } from './shape-validator.generated';
import type { Consortium, OrganizationDefinition, UserDefinition } from './types';

/** Where the default consortium definition lives (found from sources and from `dist/`). */
export const DEFAULT_CONSORTIUM_PATH = [path.resolve(__dirname, '..', 'consortium.yaml'), path.resolve(__dirname, '..', '..', 'consortium.yaml')].find(
  (candidate) => existsSync(candidate),
) ?? path.resolve(__dirname, '..', 'consortium.yaml');

/** schema.ts compiled ahead of time (shape-source.ts says why; a test keeps it current). */
const validateShape = validate as unknown as ValidateFunction;

/**
 * Loads and validates a consortium definition (YAML or JSON). Throws {@link ConsortiumError}
 * naming the first bad field.
 */
export function loadConsortium(file: string = process.env.HEALTHLEDGER_CONSORTIUM ?? DEFAULT_CONSORTIUM_PATH): Consortium {
  const text = readFileSync(file, 'utf8');
  return parseConsortium(text, path.basename(file));
}

/** Validates consortium text; `source` names it in error messages. */
export function parseConsortium(text: string, source = 'consortium'): Consortium {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConsortiumError(source, '', `is not valid YAML: ${(err as Error).message}`);
  }
  if (!validateShape(raw)) {
    throw shapeError(source, validateShape.errors?.[0]);
  }
  const consortium = withDefaults(raw as Consortium);
  checkRelations(consortium, source);
  return consortium;
}

function shapeError(source: string, error: ErrorObject | undefined): ConsortiumError {
  if (!error) return new ConsortiumError(source, '', 'is invalid');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return new ConsortiumError(source, `${error.instancePath}/${extra}`, 'is not a known field');
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return new ConsortiumError(source, `${error.instancePath}/${missing}`, 'is required');
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.join(', ');
    return new ConsortiumError(source, error.instancePath, `must be one of: ${allowed}`);
  }
  return new ConsortiumError(source, error.instancePath, error.message ?? 'is invalid');
}

function withDefaults(c: Consortium): Consortium {
  return {
    ...c,
    chaincode: { ...c.chaincode, address: c.chaincode.address ?? '127.0.0.1:9999' },
    orderer: { ...c.orderer, batchTimeoutMs: c.orderer.batchTimeoutMs ?? 100, maxMessageCount: c.orderer.maxMessageCount ?? 500 },
    collections: (c.collections ?? []).map((col) => ({
      ...col,
      requiredPeerCount: col.requiredPeerCount ?? 0,
      maxPeerCount: col.maxPeerCount ?? 1,
      blockToLive: col.blockToLive ?? 0,
      memberOnlyRead: col.memberOnlyRead ?? true,
      memberOnlyWrite: col.memberOnlyWrite ?? true,
    })),
  };
}

/** Rules between fields that JSON Schema cannot express. */
function checkRelations(c: Consortium, source: string): void {
  const fail = (field: string, detail: string): never => {
    throw new ConsortiumError(source, field, detail);
  };
  const mspIds = new Set<string>();
  const ports = new Map<number, string>([[c.orderer.port, '/orderer/port']]);
  c.organizations.forEach((org, i) => {
    if (mspIds.has(org.mspId) || org.mspId === c.orderer.mspId) fail(`/organizations/${i}/mspId`, `duplicates ${org.mspId}`);
    mspIds.add(org.mspId);
    org.peers.forEach((peer, j) => {
      const field = `/organizations/${i}/peers/${j}/port`;
      const clash = ports.get(peer.port);
      if (clash) fail(field, `${peer.port} is already used by ${clash}`);
      ports.set(peer.port, field);
    });
    checkUsers(org, i, fail);
  });
  checkPolicy(c.chaincode.endorsementPolicy, '/chaincode/endorsementPolicy', mspIds, fail);
  const names = new Set<string>();
  c.collections.forEach((col, i) => {
    if (names.has(col.name) || col.name.startsWith('_')) fail(`/collections/${i}/name`, `${col.name} is duplicated or reserved`);
    names.add(col.name);
    col.memberOrgs.forEach((m, j) => {
      if (!mspIds.has(m)) fail(`/collections/${i}/memberOrgs/${j}`, `names unknown organisation ${m}`);
    });
    if (col.endorsementPolicy) checkPolicy(col.endorsementPolicy, `/collections/${i}/endorsementPolicy`, mspIds, fail);
  });
}

function checkUsers(org: OrganizationDefinition, i: number, fail: (f: string, d: string) => never): void {
  const names = new Set<string>();
  org.users.forEach((user: UserDefinition, j) => {
    const at = `/organizations/${i}/users/${j}`;
    if (names.has(user.name)) fail(`${at}/name`, `duplicates ${user.name} in ${org.mspId}`);
    names.add(user.name);
    if (user.role === 'patient' && !user.patientId) fail(`${at}/patientId`, 'is required for role patient');
    if (user.role === 'clinician' && !user.practitionerId) fail(`${at}/practitionerId`, 'is required for role clinician');
  });
}

function checkPolicy(dsl: string, field: string, mspIds: Set<string>, fail: (f: string, d: string) => never): void {
  let principals: PolicyPrincipal[];
  try {
    principals = policyPrincipals(dsl);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    fail(field, `is not a Fabric policy expression: ${err.message}`);
  }
  for (const p of principals) {
    if (!mspIds.has(p.mspId)) fail(field, `names unknown organisation ${p.mspId}`);
  }
}
