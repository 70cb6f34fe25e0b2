/**
 * GS1's EPCIS 2.0 JSON schema and example documents (test/data/gs1-epcis, with GS1's licence):
 * a validator for every document the ledger emits, and the examples the ledger accepts, with
 * their EPCs rewritten to a run's own serials so a persistent ledger takes them again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv6';

const DATA = path.resolve(__dirname, '../data/gs1-epcis');

/** A JSON value as read from a document. */
export type JsonDoc = Record<string, unknown>;

const ajv = new Ajv({ format: 'full', allErrors: true });
const schemaValidate = ajv.compile(JSON.parse(readFileSync(path.join(DATA, 'EPCIS-JSON-Schema.json'), 'utf8')) as object);

/** The schema's complaints about `doc` (an EPCISDocument, EPCISQueryDocument or event); empty when valid. */
export function epcisSchemaErrors(doc: unknown): string[] {
  if (schemaValidate(doc)) return [];
  return (schemaValidate.errors ?? []).map((e) => `${e.dataPath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** GS1's example document `name` (a file of test/data/gs1-epcis), parsed. */
export function gs1Example(name: string): JsonDoc {
  return JSON.parse(readFileSync(path.join(DATA, name), 'utf8')) as JsonDoc;
}

/**
 * `doc` with every occurrence of each key of `epcs` (an EPC of the example) replaced by its value:
 * the same document, about this run's packs.
 */
export function withEpcs(doc: JsonDoc, epcs: Record<string, string>): JsonDoc {
  let text = JSON.stringify(doc);
  for (const [from, to] of Object.entries(epcs)) text = text.split(`"${from}"`).join(`"${to}"`);
  return JSON.parse(text) as JsonDoc;
}
