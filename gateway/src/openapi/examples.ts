/**
 * Whole-answer examples (a route's response schema with `examples: [value]`) reach the OpenAPI
 * document as they were written. @fastify/swagger converts every response schema to OpenAPI 3.0
 * recursively, example values included, and so rewrites any `type` array inside an example
 * (FHIR's `AuditEvent.source.type: [Coding]` would become one Coding) — the example would no
 * longer be what the route answers. The hook records each such example before the conversion and
 * the document transform puts it back.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** The part of the document the transform reads: operations' responses' media. */
type OpenApiPaths = { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { example?: unknown }> }> }>> };

/** `GET /fhir/Coverage/{id} 200` for a route `/fhir/Coverage/:id`. */
function keyOf(method: string, url: string, status: string): string {
  return `${method.toUpperCase()} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')} ${status}`;
}

/**
 * Adds the recording hook on the root, before any route; returns the document transform for
 * @fastify/swagger's `transformObject`.
 */
export function pristineExamples(app: FastifyInstance): SwaggerTransformObject {
  const recorded = new Map<string, unknown>();
  app.addHook('onRoute', (route) => {
    const responses = (route.schema as { response?: Record<string, { examples?: unknown[] }> } | undefined)?.response ?? {};
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const [status, schema] of Object.entries(responses)) {
      if (!Array.isArray(schema.examples) || schema.examples.length !== 1) continue;
      for (const method of methods) recorded.set(keyOf(method, route.url, status), structuredClone(schema.examples[0]));
    }
  });
  return (document) => {
    if (!('openapiObject' in document)) return document.swaggerObject;
    // The OpenAPI types' unions of reference and object gain nothing here: only media are touched.
    const { paths } = document.openapiObject as unknown as OpenApiPaths;
    for (const [path, operations] of Object.entries(paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          const example = recorded.get(keyOf(method, path, status));
          if (example === undefined) continue;
          for (const media of Object.values(response.content ?? {})) media.example = example;
        }
      }
    }
    return document.openapiObject;
  };
}
