/**
 * The HTTP shape of a catalogue operation, as its route declares it to Fastify and the OpenAPI
 * document: the params, query and body schemas cut from the transaction's request schema (so the
 * API and the contract cannot drift; unknown fields are refused), the success schema and the
 * description. Split from operation.ts, which registers and runs the routes.
 */
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { Operation } from './operation';
import { uploadBodySchema } from './content';

/** `/records/:recordId` → `/records/{recordId}`, as the OpenAPI document writes paths. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

/** A page of a list: its items and, when there are more, the cursor of the next page. */
const pageOf = (what: string, item: TSchema = Type.Unknown()) =>
  Type.Object(
    {
      items: Type.Array(item, { description: what }),
      nextCursor: Type.Optional(Type.String({ description: 'Pass as `cursor` to get the next page; absent on the last page', examples: ['eyJrIjoiYiJ9'] })),
    },
    { additionalProperties: false, description: `A page of ${what}` },
  );

/** Splits the chaincode schema into params / querystring / body route schemas. */
export function schemasOf(op: Operation): { params?: TObject; querystring?: TObject; body?: TSchema } {
  const props = objectProperties(op.request);
  const paramNames = op.params ?? [];
  const fieldOf = (param: string) => op.rename?.[param] ?? param;
  const out: { params?: TObject; querystring?: TObject; body?: TSchema } = {};
  if (paramNames.length > 0) out.params = strict(Object.fromEntries(paramNames.map((p) => [p, pick(props, [fieldOf(p)])[fieldOf(p)]!])));
  if (props === undefined) {
    // A union request (e.g. verify by SGTIN or by lot): the body is the chaincode schema itself.
    out.body = op.request;
    return out;
  }
  const rest = omit(props, [...paramNames.map(fieldOf), ...Object.keys(op.fixed ?? {})]);
  if (op.paged) {
    delete rest['pageSize'];
    delete rest['bookmark'];
    rest['limit'] = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size' }));
    rest['cursor'] = Type.Optional(Type.String({ maxLength: 2048, description: 'nextCursor of the previous page' }));
  }
  if (op.upload) {
    // The body is the content's bytes; its media type is the Content-Type.
    for (const t of op.transient ?? []) if (t.typedBy) delete rest[t.typedBy];
    out.querystring = strict(rest);
    out.body = uploadBodySchema();
  } else if (op.method === 'GET' || op.method === 'DELETE') {
    out.querystring = strict(rest);
  } else {
    for (const t of op.transient ?? []) {
      rest[t.name] = t.required ? { ...t.schema, description: t.description } : Type.Optional({ ...t.schema, description: t.description });
    }
    out.body = strict(rest);
  }
  return out;
}

/** The operation's description: who may call, the submit/evaluate path, and where a 201 points. */
export function descriptionOf(op: Operation): string {
  const lines = [`Callers: ${op.callers}.`];
  lines.push(op.mode === 'submit' ? 'Submitted: endorsed, ordered and committed; the answer carries `X-Transaction-Id` and `X-Block-Number`.' : 'Evaluated on one peer; nothing is committed.');
  if (op.created) lines.push(`\`Location\` names the created resource (\`${openApiPath(op.created)}\`).`);
  if (op.notes) lines.push(op.notes);
  if (op.async) lines.push(`With \`Prefer: respond-async\`: answered 202 with an operation (\`Location: /operations/{id}\`, \`Retry-After\`, \`Preference-Applied\`) that ${op.async.description}.`);
  if (op.aliasOf) lines.push(`Deprecated alias of \`${openApiPath(op.aliasOf)}\`, kept for existing clients.`);
  return lines.join('\n\n');
}

/** The success response: a page for lists, else the chaincode's JSON result, described. */
export function successSchema(op: Operation, status: number): TSchema {
  if (op.paged) return pageOf(`results of ${op.fn}`, op.result);
  const created = op.created ? ` (\`Location\`: ${openApiPath(op.created)})` : '';
  const description = `${status === 201 ? 'Created' : 'OK'}: the JSON result of ${op.fn}${created}`;
  return op.result ? { ...op.result, description: `${description}. ${String(op.result.description ?? '')}`.trim() } : Type.Unknown({ description });
}

function objectProperties(schema: TSchema): Record<string, TSchema> | undefined {
  return schema.type === 'object' && schema.properties ? (schema.properties as Record<string, TSchema>) : undefined;
}

function pick(props: Record<string, TSchema> | undefined, names: string[]): Record<string, TSchema> {
  const out: Record<string, TSchema> = {};
  for (const name of names) out[name] = props?.[name] ?? Type.String({ maxLength: 128 });
  return out;
}

function omit(props: Record<string, TSchema>, names: string[]): Record<string, TSchema> {
  const out: Record<string, TSchema> = {};
  for (const [name, schema] of Object.entries(props)) if (!names.includes(name)) out[name] = schema;
  return out;
}

function strict(props: Record<string, TSchema>): TObject {
  return Type.Object(props, { additionalProperties: false });
}
