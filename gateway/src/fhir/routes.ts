/**
 * The FHIR R4 interface under `/fhir`, one encapsulated plugin: its own media type
 * (`application/fhir+json`), its own error shape (OperationOutcome) and the routes of the
 * interaction table — read `GET /fhir/{type}/{id}`, search `GET /fhir/{type}?…` (a `searchset`
 * Bundle), create `POST /fhir/{type}` — plus the CapabilityStatement at `/fhir/metadata`. It sits in
 * the authenticated context like every other group, and reaches the ledger as the compact routes do.
 */
import { field, Id } from '@healthledger/contract-api';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { depthLimitedJsonParser } from '../http/json-body';
import type { RouteContext, RouteModule } from '../routes/context';
import { searchset } from './bundle';
import { capabilityStatement } from './capability';
import { CLINICAL } from './clinical';
import { FINANCIAL } from './financial';
import { RESEARCH_FHIR } from './research';
import type { Interaction, ResourceInteractions } from './interactions';
import { EXAMPLE_BASE, exampleInput, exampleResource, exampleSearchset } from './examples';
import { FHIR_JSON, registerOperationOutcomes } from './operation-outcome';
import { FORMAT, searchQuery } from './search';
import type { Resource } from './types';

/** Where the FHIR interface is mounted. */
export const FHIR_PREFIX = '/fhir';

/** Every resource type served, in CapabilityStatement order. */
export const FHIR_RESOURCES: readonly ResourceInteractions[] = [...CLINICAL, ...FINANCIAL, ...RESEARCH_FHIR];

const tags = ['fhir'];
/** A FHIR answer's schema: any resource (the R4 schema is FHIR's own), with an example. */
function resourceSchema(description: string, example: unknown): TSchema {
  return Type.Unknown({ description, ...(example === undefined ? {} : { examples: [example] }) });
}
const AnyResource = (example: unknown) => resourceSchema('A FHIR R4 resource (application/fhir+json)', example);
const SearchsetBundle = (example: unknown) => resourceSchema('A FHIR R4 searchset Bundle (application/fhir+json)', example);
/** A create's body schema with the example of what a client sends. */
function withExample(body: TSchema, example: unknown): TSchema {
  return example === undefined ? body : { ...body, examples: [example] };
}
/** Read and metadata take no parameter but `_format`: an unknown one is a 400, as on every other route. */
const NoQuery = Type.Object({ ...FORMAT }, { additionalProperties: false });

function interactionOf(ctx: RouteContext, request: Interaction['request'], reply: FastifyReply): Interaction {
  return { ctx, request, reply, base: `${request.protocol}://${request.host}${FHIR_PREFIX}` };
}

function sendResource(reply: FastifyReply, status: number, resource: Resource): FastifyReply {
  return reply.code(status).type(FHIR_JSON).send(resource);
}

function registerResource(app: FastifyInstance, ctx: RouteContext, r: ResourceInteractions): void {
  const { read, search, create } = r;
  const example = exampleResource(r.type);
  if (read) {
    app.get(`/${r.type}/:id`, {
      schema: { tags, summary: `Read a ${r.type}`, description: r.documentation, params: Type.Object({ id: field(Id, `The ${r.type}'s id (the ledger's id of what it maps)`, example?.id) }, { additionalProperties: false }), querystring: NoQuery, response: { 200: AnyResource(example) } },
      handler: async (request, reply) => sendResource(reply, 200, await read(interactionOf(ctx, request, reply), (request.params as { id: string }).id)),
    });
  }
  if (search) {
    app.get(`/${r.type}`, {
      schema: {
        tags,
        summary: `Search ${r.type} (searchset Bundle)`,
        description: `${r.documentation} Parameters: ${Object.entries(search.params).map(([n, p]) => `\`${n}\` (${p.documentation})`).join(', ')}.`,
        querystring: searchQuery(
          Object.fromEntries(
            Object.entries(search.params).map(([n, p]) => {
              const schema = { ...p.schema, description: p.documentation };
              return [n, search.required?.includes(n) ? schema : Type.Optional(schema)];
            }),
          ),
        ),
        response: { 200: SearchsetBundle(example && exampleSearchset(example)) },
      },
      handler: async (request, reply) => {
        const i = interactionOf(ctx, request, reply);
        const { resources, next } = await search.run(i, request.query as Record<string, unknown>);
        return sendResource(reply, 200, searchset(request, i.base, resources, next));
      },
    });
  }
  if (create) {
    app.post(`/${r.type}`, {
      schema: { tags, summary: `Create a ${r.type}`, description: r.documentation, body: withExample(create.body, exampleInput(r.type)), response: { 201: AnyResource(example) } },
      handler: async (request, reply) => {
        const i = interactionOf(ctx, request, reply);
        const created = await create.run(i, request.body);
        if (created.id !== undefined) reply.header('location', `${i.base}/${r.type}/${created.id}`);
        return sendResource(reply, 201, created);
      },
    });
  }
}

/** The FHIR plugin proper, mounted under {@link FHIR_PREFIX}. */
function fhirPlugin(app: FastifyInstance, ctx: RouteContext): void {
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, depthLimitedJsonParser(app));
  registerOperationOutcomes(app);
  app.get('/metadata', {
    schema: { tags, summary: 'The CapabilityStatement of the FHIR R4 interface', querystring: NoQuery, response: { 200: AnyResource(capabilityStatement(EXAMPLE_BASE, FHIR_RESOURCES)) } },
    handler: async (request, reply) => sendResource(reply, 200, capabilityStatement(interactionOf(ctx, request, reply).base, FHIR_RESOURCES)),
  });
  for (const r of FHIR_RESOURCES) registerResource(app, ctx, r);
}

/** The FHIR interface as a route group (routes/index.ts `apiRoutes`). */
export const fhirRoutes: RouteModule = async (app, ctx) => {
  await app.register((scoped, _opts, done) => {
    fhirPlugin(scoped, ctx);
    done();
  }, { prefix: FHIR_PREFIX });
};
