/**
 * Responses are validated against their route schema before they leave: a contract that returns
 * an unexpected shape becomes a logged 500, not a silently wrong answer to a hospital system.
 * (Fastify's default serializer only strips unknown fields; it never rejects.)
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { FastifySerializerCompiler } from 'fastify/types/schema';

/** A response that does not match its schema. */
export class ResponseSchemaError extends Error {
  constructor(
    readonly route: string,
    readonly issues: string,
  ) {
    super(`response of ${route} does not match its schema: ${issues}`);
    this.name = 'ResponseSchemaError';
  }
}

/** Keywords that describe a schema without constraining it. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * True when a schema admits every JSON value (`{}`, TypeBox's `Type.Unknown()`, annotations
 * only): such a response needs serialising, not validating.
 */
export function acceptsAnyJson(schema: unknown): boolean {
  return schema === true || (typeof schema === 'object' && schema !== null && Object.keys(schema).every((k) => ANNOTATIONS.has(k)));
}

/** Answers known to be exactly what JSON.parse returned, untouched since (see {@link freshJson}). */
const parsedJson = new WeakSet<object>();

/**
 * Marks an answer as JSON.parse's own output, not changed since (a chaincode result about to be
 * sent): its JSON text then parses back to the same value, so validation reads it as it is
 * instead of parsing its text again. Only for values nothing modifies before they are sent.
 */
export function freshJson<T>(value: T): T {
  if (typeof value === 'object' && value !== null) parsedJson.add(value);
  return value;
}

/** `eager` compiles each schema when its route is added (the OpenAPI test), not on first use. */
export function responseValidator(eager = false): FastifySerializerCompiler<unknown> {
  // Ajv (~70 modules) is required with the first schema compiled, not on the way to readiness;
  // synchronously, as serializers run synchronously.
  let loaded: Ajv | undefined;
  const ajv = (): Ajv => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
    loaded ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false, removeAdditional: false });
    return loaded;
  };
  return ({ schema, url, method, httpStatus }) => {
    // Chaincode results pass through as any JSON: stringify once, no parse-back and no validation.
    // Error bodies are the problem handler's, built from the catalogue; their schemas only document them.
    if (acceptsAnyJson(schema) || Number(httpStatus) >= 400) return (data: unknown) => JSON.stringify(data) ?? 'null';
    // Compiled on the route's first response, not at start-up: compiling every route's schemas
    // up front is most of the gateway's start time, and most instances answer few routes.
    let compiled: ValidateFunction | undefined = eager ? ajv().compile(schema as object) : undefined;
    return (data: unknown) => {
      const validate = (compiled ??= ajv().compile(schema as object));
      // Dates and similar become their JSON form first, exactly as the client will see them
      // (a value fresh from JSON.parse already is that form).
      const text = JSON.stringify(data);
      const sent: unknown = typeof data === 'object' && data !== null && parsedJson.has(data) ? data : text === undefined ? null : JSON.parse(text);
      if (!validate(sent)) {
        throw new ResponseSchemaError(`${method} ${url}`, ajv().errorsText(validate.errors));
      }
      return text;
    };
  };
}
