/**
 * Whole examples of every request body and success answer, in the OpenAPI document as written.
 *
 * A schema's own `examples: [value]` is its example. A schema without one gets one composed from
 * its parts' examples (each property's `examples[0]`, an enumeration's first value, a list of
 * one composed item), so a field described once with its example documents every body and answer
 * that carries it; a required part without an example leaves the whole without one, and the
 * OpenAPI test names the operation. Where a composed body would not be a sensible request, the
 * operation's whole body is written out (request-examples.ts). The test validates every example
 * against its schema.
 *
 * The examples reach the document as they were written: @fastify/swagger converts every schema to
 * OpenAPI 3.0 recursively, example values included, and so rewrites any `type` array inside an
 * example (FHIR's `AuditEvent.source.type: [Coding]` would become one Coding) — the example would
 * no longer be what the route answers. The hook records each example before the conversion and the
 * document transform puts it back.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { MediaExamples, REQUEST_EXAMPLES } from './request-examples';

/** The part of the document the transform reads: operations' bodies' and responses' media. */
type Media = Record<string, { example?: unknown }>;
type OpenApiPaths = { paths?: Record<string, Record<string, { requestBody?: { content?: Media }; responses?: Record<string, { content?: Media }> }>> };

/** The JSON Schema keywords composition reads. */
interface SchemaLike {
  examples?: unknown[];
  /** OpenAPI 3.0's single example, as a per-media schema written for the document carries it. */
  example?: unknown;
  enum?: unknown[];
  const?: unknown;
  type?: unknown;
  properties?: Record<string, SchemaLike>;
  required?: string[];
  items?: SchemaLike;
  anyOf?: SchemaLike[];
  oneOf?: SchemaLike[];
  /** Fastify's per-media form of a response: `{ description, content: { type: { schema } } }`. */
  content?: Record<string, { schema?: SchemaLike }>;
}

/** An example of `schema`: its own, or one composed from its parts' (undefined if a required part has none). */
export function exampleOf(schema: SchemaLike | undefined): unknown {
  if (schema === undefined || typeof schema !== 'object') return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.content) return exampleOf(Object.values(schema.content)[0]?.schema);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.properties) return objectExample(schema);
  if (schema.items) {
    // An empty list shows nothing: a list's example has one item, or there is none.
    const item = exampleOf(schema.items);
    return item === undefined ? undefined : [item];
  }
  for (const option of schema.anyOf ?? schema.oneOf ?? []) {
    const example = exampleOf(option);
    if (example !== undefined) return example;
  }
  return undefined;
}

function objectExample(schema: SchemaLike): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const example = exampleOf(property);
    if (example !== undefined) out[name] = example;
    else if (schema.required?.includes(name)) return undefined;
  }
  return out;
}

/** `GET /fhir/Coverage/{id} 200` for a route `/fhir/Coverage/:id`; `… body` for its request body. */
function keyOf(method: string, url: string, part: string): string {
  return `${method.toUpperCase()} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')} ${part}`;
}

/**
 * Adds the recording hook on the root, before any route; returns the document transform for
 * @fastify/swagger's `transformObject`.
 */
export function pristineExamples(app: FastifyInstance): SwaggerTransformObject {
  const recorded = new Map<string, unknown>();
  const perMedia = (byType: Readonly<Record<string, unknown>>) => new MediaExamples(structuredClone(byType));
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { operationId?: string; body?: SchemaLike; response?: Record<string, SchemaLike> } | undefined;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const parts: [string, SchemaLike | undefined][] = [['body', schema?.body], ...Object.entries(schema?.response ?? {}).filter(([status]) => /^2\d\d$/.test(status))];
    for (const [part, partSchema] of parts) {
      const written = part === 'body' && schema?.operationId !== undefined ? REQUEST_EXAMPLES[schema.operationId] : undefined;
      const media = partSchema?.content && Object.keys(partSchema.content).length > 1 ? partSchema.content : undefined;
      const example = media
        ? perMedia(Object.fromEntries(Object.entries(media).map(([type, m]) => [type, exampleOf(m.schema) ?? m.schema?.example])))
        : (written ?? exampleOf(partSchema));
      if (example === undefined) continue;
      const kept = example instanceof MediaExamples ? perMedia(example.byType) : structuredClone(example);
      for (const method of methods) recorded.set(keyOf(method, route.url, part), kept);
    }
  });
  return (document) => {
    if (!('openapiObject' in document)) return document.swaggerObject;
    // The OpenAPI types' unions of reference and object gain nothing here: only media are touched.
    const { paths } = document.openapiObject as unknown as OpenApiPaths;
    for (const [path, operations] of Object.entries(paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        const media: [string, Media | undefined][] = [['body', operation.requestBody?.content], ...Object.entries(operation.responses ?? {}).map(([status, r]): [string, Media | undefined] => [status, r.content])];
        for (const [part, content] of media) {
          const example = recorded.get(keyOf(method, path, part));
          if (example === undefined) continue;
          for (const [type, one] of Object.entries(content ?? {})) {
            const shown = example instanceof MediaExamples ? example.byType[type] : example;
            if (shown === undefined) continue;
            // The media of one body may share one object (@fastify/swagger's `consumes`): each gets its own.
            if (example instanceof MediaExamples && content) content[type] = { ...one, example: shown };
            else one.example = shown;
          }
        }
      }
    }
    return document.openapiObject;
  };
}
