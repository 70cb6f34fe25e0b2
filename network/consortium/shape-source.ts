/**
 * The source of shape-validator.generated.ts: the consortium schema (schema.ts) compiled by Ajv
 * into standalone code, once, when the schema changes (`npm run consortium-validator`; a test keeps
 * the file in step with the schema). Compiling the schema took about 150 ms of CPU at every start
 * of the devnet, on the path to its readiness; the generated code loads in a few.
 */
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { consortiumSchema } from './schema';

/** Ajv's options for the consortium schema (the generated code is compiled with them). */
export const SHAPE_AJV_OPTIONS = { allErrors: false, strict: true } as const;

const HEADER = `// @ts-nocheck
/* eslint-disable */
// Generated from schema.ts by shape-source.ts (Ajv standalone code): do not edit. Regenerate with
// \`npm run consortium-validator\`; network/consortium/shape-validator.test.ts checks it is current.
`;

/** The generated module's text: exports `validate`, an Ajv validate function for the consortium schema. */
export function shapeValidatorSource(): string {
  const ajv = new Ajv({ ...SHAPE_AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  return `${HEADER}${standaloneCode(ajv, ajv.compile(consortiumSchema))}\n`;
}
