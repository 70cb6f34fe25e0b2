/**
 * The JSON body parser: Fastify's own (prototype-poisoning checks, body limit) behind a nesting
 * depth limit. JSON.parse copes with any depth, but what handles the parsed value afterwards
 * recurses — JSON.stringify of a record's content overflowed the stack at ~5,000 levels and the
 * client got a 500 — so a body nesting deeper than any request of this API is refused at the
 * door, before it is parsed, with a 400 problem.
 */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { HttpProblem } from '../errors/problem';

/**
 * Deepest nesting of arrays and objects a body may have. The deepest legitimate bodies (FHIR
 * resources as record content, EPCIS documents) nest about a dozen levels.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True if the JSON text nests arrays and objects deeper than `max` (brackets inside strings do not count). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** Fastify's default JSON parser with the depth limit; register it for every JSON media type. */
export function depthLimitedJsonParser(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): FastifyBodyParser<string> {
  const parse = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonDepthExceeds(body, maxDepth)) {
      done(new HttpProblem('JSON_TOO_DEEP', `The JSON body nests arrays and objects deeper than ${maxDepth} levels`), undefined);
      return;
    }
    void parse(request, body, done);
  };
}

/** Replaces Fastify's application/json parser with {@link depthLimitedJsonParser}. */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, depthLimitedJsonParser(app));
}
