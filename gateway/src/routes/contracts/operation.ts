/**
 * One REST route per chaincode transaction, declared as data. Each route names its transaction in
 * the contract API's catalogue, which supplies the request schema, submit or evaluate, the
 * transient fields, any staging step and who may call; the route adds only how HTTP reaches it.
 * The route's params, query and body schemas are cut from the request schema (so the API and the
 * contract cannot drift), unknown fields are rejected, and the request object handed to the
 * chaincode is exactly params + query/body.
 */
import { randomBytes } from 'node:crypto';
import { RECORD_MEDIA_TYPES, SALT_BYTES, stepOf, type CallerSpec, type TransactionSpec } from '@healthledger/contract-api';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context';
import { signingUserOf } from '../../auth/principal';
import { HttpProblem } from '../../errors/problem';
import type { Ledger, TxJournal } from '../../fabric/ledger';
import type { FabricUser } from '../../fabric/wallet';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { freshJson } from '../../http/response-validation';
import { journalOf } from '../../idempotency/hook';
import { problemResponses } from '../../openapi/responses';
import { prefersAsync, requireGate, sendAccepted } from '../../operations/accepted';
import type { ExportInput } from '../../operations/export';
import { viewOf } from '../../operations/model';
import { OperationSchema } from '../../operations/schema';
import { checkContentSize, contentResponseSchema, encodeTypedValue, sendContent, uploadedBytes, uploadedMediaType } from './content';
import { descriptionOf, schemasOf, successSchema } from './operation-schemas';

export { openApiPath, schemasOf } from './operation-schemas';

/** A body field that travels as transient data (private inputs never written to the ledger). */
export interface TransientField {
  /** Name of the body field and of the transient key. */
  name: string;
  schema: TSchema;
  required: boolean;
  description: string;
  /** The request field naming the value's media type (record content): see content.ts. */
  typedBy?: string;
}

/** Organisations whose peers must endorse or evaluate (e.g. a record's custodian). */
export type EndorserChoice = (request: Record<string, unknown>, user: FabricUser, ledger: Ledger) => Promise<string[] | undefined>;

/** How HTTP reaches one catalogue transaction. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** The transaction, from the contract API's catalogue. */
  tx: TransactionSpec;
  tags: string[];
  /** Overrides the catalogue's summary where the route says more. */
  summary?: string;
  /** Request fields taken from the path (names match the `:param`s, unless `rename`d). */
  params?: string[];
  /** Path parameter → request field, where the path's name differs (`/packs/:gtin/…` → `id`). */
  rename?: Record<string, string>;
  /** Request fields the route itself sets (not part of the HTTP request). */
  fixed?: Record<string, string>;
  /** Paginated: `pageSize`/`bookmark` become `limit`/`cursor`; the result's `bookmark` becomes `nextCursor`. */
  paged?: boolean;
  /** Success status (default 201 for POST submits, else 200). */
  status?: number;
  endorsers?: EndorserChoice;
  /**
   * For a 201: the created resource's path template (`/records/:recordId`), sent as `Location`;
   * each `:param` is read from the result, else from the request.
   */
  created?: string;
  /** The OpenAPI operationId; default `<contract>_<transaction>` (an alias route needs its own). */
  operationId?: string;
  /** An older path kept for existing clients: documented as deprecated, pointing at `aliasOf`. */
  aliasOf?: string;
  /** More for the OpenAPI description (conventions of this operation's answers). */
  notes?: string;
  /**
   * The route's asynchronous form, taken with `Prefer: respond-async`: 202 and an operation of
   * this kind (started with the chaincode request). A paged list's kind is `export` (every page).
   */
  async?: AsyncForm;
  /**
   * The body is the raw bytes of the typed transient field (record content), its `Content-Type`
   * the media type; the other request fields come from the path and the query (content.ts).
   */
  upload?: boolean;
  /** The answer is the result's bytes under their media type, not JSON (content.ts). */
  download?: boolean;
  /** This route's body limit in bytes, where it carries more than the gateway's default. */
  bodyLimit?: number;
}

/** An asynchronous form of a route: the operation kind that runs it, and what it does, in words. */
export interface AsyncForm {
  kind: string;
  description: string;
}

/** The asynchronous form of a paged list: every page, gathered by an `export` operation. */
export const EXPORT: AsyncForm = { kind: 'export', description: 'reads every page and holds the items as its `result` (kept in memory only, for the caller)' };

/** The operationId a catalogue route carries in the OpenAPI document. */
export function operationIdOf(route: Pick<Route, 'tx' | 'operationId'>): string {
  return route.operationId ?? `${route.tx.contract}_${route.tx.name}`;
}

/** A route resolved against the catalogue: everything the handler needs. */
export interface Operation {
  method: Route['method'];
  url: string;
  /** Qualified chaincode transaction, e.g. `records:createRecord`. */
  fn: string;
  mode: 'submit' | 'evaluate';
  /** The chaincode's request schema. */
  request: TSchema;
  /** The chaincode's answer (a list's item, for a paged operation), where the catalogue describes it. */
  result?: TSchema;
  summary: string;
  /** Who may call, in words (from the catalogue). */
  callers: string;
  /** Who may call, as the chaincode's gate checks it. */
  gate: CallerSpec;
  tags: string[];
  params?: string[];
  rename?: Record<string, string>;
  fixed?: Record<string, string>;
  /** Body fields sent as transient data. */
  transient?: TransientField[];
  /** Transient salts the gateway draws afresh for each call that carries private data. */
  salts?: string[];
  paged?: boolean;
  status?: number;
  operationId: string;
  created?: string;
  aliasOf?: string;
  notes?: string;
  async?: AsyncForm;
  upload?: boolean;
  download?: boolean;
  bodyLimit?: number;
  /**
   * Private data is staged by a transaction of its own before this one: see {@link StagedPrivateData}.
   * When the request carries transient data, `stage.fn` is submitted with it first (the same
   * request), and this operation is then submitted without transient data, naming the staged
   * value by the hash the stage returned.
   */
  stage?: StagedPrivateData;
  endorsers?: EndorserChoice;
}

/**
 * A transaction that writes private data into the caller organisation's implicit collection and
 * nothing public. Fabric's gateway (and the devnet) then plans its endorsement from that
 * organisation alone, so the transient data reaches no peer outside the collection; the public
 * write that follows needs other organisations' endorsements but carries no transient data.
 */
export interface StagedPrivateData {
  /** The staging transaction, e.g. `records:stageContent`. */
  fn: string;
  /** The field of its result holding the staged value's SHA-256, passed on under the same name. */
  hashField: string;
  /** Purges the staged value when the public step fails (same request), so nothing stays behind. */
  discardFn: string;
}

/** Resolves a route against the catalogue. A staged transaction's private fields are its stage's. */
export function operationOf(route: Route): Operation {
  const { tx, ...http } = route;
  const staged = tx.stagedBy;
  const stageTx = staged ? stepOf(tx, staged.stage) : undefined;
  const specs = (stageTx ?? tx).transient;
  const transient = specs.filter((t) => t.supplier !== 'random-salt').map(({ supplier: _supplier, ...t }) => ({ ...t, required: t.required && !staged?.optional }));
  const salts = specs.filter((t) => t.supplier === 'random-salt').map((t) => t.name);
  return {
    ...http,
    fn: tx.qualifiedName,
    mode: tx.mode,
    request: tx.request,
    ...(route.paged ? (tx.items ? { result: tx.items } : {}) : tx.result ? { result: tx.result } : {}),
    summary: route.summary ?? tx.summary,
    callers: tx.callers.rule,
    gate: tx.callers,
    operationId: operationIdOf(route),
    ...(transient.length > 0 ? { transient } : {}),
    ...(salts.length > 0 ? { salts } : {}),
    ...(staged && stageTx ? { stage: { fn: stageTx.qualifiedName, hashField: staged.hashField, discardFn: stepOf(tx, staged.discard).qualifiedName } } : {}),
  };
}

/** Registers every route of a contract. */
export function registerOperations(app: FastifyInstance, ctx: RouteContext, routes: readonly Route[]): void {
  for (const route of routes) registerOperation(app, ctx, operationOf(route));
}

function registerOperation(app: FastifyInstance, ctx: RouteContext, op: Operation): void {
  const status = op.status ?? (op.method === 'POST' && op.mode === 'submit' ? 201 : 200);
  app.route({
    method: op.method,
    url: op.url,
    ...(op.bodyLimit ? { bodyLimit: op.bodyLimit } : {}),
    schema: {
      ...schemasOf(op),
      ...(op.upload ? { consumes: [...RECORD_MEDIA_TYPES] } : {}),
      operationId: op.operationId,
      summary: op.summary,
      description: descriptionOf(op),
      tags: op.tags,
      ...(op.aliasOf ? { deprecated: true } : {}),
      response: { [status]: op.download ? contentResponseSchema() : successSchema(op, status), ...(op.async ? { 202: OperationSchema } : {}), ...problemResponses() },
    },
    handler: async (request, reply) => {
      const user = signingUserOf(request);
      const prepared = chaincodeInput(op, request);
      if (op.async && prefersAsync(request)) return startAsync(ctx, op, op.async, user, prepared.input, request, reply);
      // Returned, not awaited: this function ends here and holds the content no longer.
      if (op.stage && prepared.transient) return staged(ctx, op, status, op.stage, user, prepared, request, reply);
      return complete(ctx, op, status, user, prepared, request, reply);
    },
  });
}

/**
 * The staging transaction, then the public step. The private inputs (a 4 MiB upload) go with the
 * staging transaction alone, so nothing holds them past it — not the request's body either — and
 * the public step runs without them. Not an async function itself: it would hold `prepared` as
 * long as the public step runs.
 */
function staged(ctx: RouteContext, op: Operation, status: number, stage: StagedPrivateData, user: FabricUser, prepared: Prepared, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  request.body = undefined; // the idempotency fingerprint was taken before the handler
  const requestInput = prepared.input;
  return stagePrivateData(ctx, user, stage, prepared, journalOf(request)).then(({ input }) => complete(ctx, op, status, user, { input }, request, reply, { stage, requestInput }));
}

/** The operation's own transaction (evaluated or submitted) and its answer. */
async function complete(
  ctx: RouteContext,
  op: Operation,
  status: number,
  user: FabricUser,
  { input, transient }: Prepared,
  request: FastifyRequest,
  reply: FastifyReply,
  staging?: { stage: StagedPrivateData; requestInput: Record<string, unknown> },
): Promise<FastifyReply> {
  const journal = journalOf(request);
  const endorsingOrgs = op.endorsers ? await op.endorsers(input, user, ctx.ledger) : undefined;
  const call = { fn: op.fn, args: [JSON.stringify(input)], transient, endorsingOrgs };
  if (op.mode === 'evaluate') {
    const answer = await ctx.ledger.evaluate(user, call);
    return op.download ? sendContent(reply, parseResult(answer)) : send(reply, status, op, answer);
  }
  let outcome;
  try {
    outcome = await ctx.ledger.submit(user, { ...call, journal });
  } catch (err) {
    if (staging) await discardStaged(ctx, user, staging.stage, staging.requestInput, request);
    throw err;
  }
  reply.header('x-transaction-id', outcome.txId).header('x-block-number', outcome.blockNumber.toString());
  return send(reply, status, op, outcome.result, input);
}

/** The asynchronous form: the caller gate first, then 202 and the operation. */
function startAsync(ctx: RouteContext, op: Operation, form: AsyncForm, user: FabricUser, input: Record<string, unknown>, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  requireGate(op.gate, user);
  const operationInput = form.kind === 'export' ? ({ fn: op.fn, input } satisfies ExportInput) : input;
  return sendAccepted(request, reply, viewOf(ctx.operations.start(user, form.kind, operationInput, 0)));
}

/** Submits the staging transaction; returns the request for the public step, naming the staged hash. */
async function stagePrivateData(
  ctx: RouteContext,
  user: FabricUser,
  stage: StagedPrivateData,
  { input, transient }: Prepared,
  journal: TxJournal | undefined,
): Promise<Prepared> {
  const staged = await ctx.ledger.submit(user, { fn: stage.fn, args: [JSON.stringify(input)], transient, journal });
  const hash = (parseResult(staged.result) as Record<string, unknown> | null)?.[stage.hashField];
  if (typeof hash !== 'string') throw new HttpProblem('LEDGER_BAD_RESPONSE', `${stage.fn} returned no ${stage.hashField}`);
  return { input: { ...input, [stage.hashField]: hash } };
}

/**
 * Best effort after a failed public step: purge what was staged. A failure here is logged (ids
 * only) and does not replace the error the client gets; the chaincode refuses to discard once
 * the public entry exists, so a step that did commit despite an error keeps its content.
 */
async function discardStaged(ctx: RouteContext, user: FabricUser, stage: StagedPrivateData, input: Record<string, unknown>, request: FastifyRequest): Promise<void> {
  try {
    await ctx.ledger.submit(user, { fn: stage.discardFn, args: [JSON.stringify(input)], journal: journalOf(request) });
  } catch (err) {
    request.log.warn({ fn: stage.discardFn, code: (err as { code?: unknown }).code }, 'staged private data could not be discarded');
  }
}

/** Transient data: text, or bytes (record content). */
type Transient = Record<string, string | Uint8Array>;

/** The request object for the chaincode and the transient map. */
type Prepared = { input: Record<string, unknown>; transient?: Transient };

/** The request object for the chaincode and the transient map, from a validated HTTP request. */
export function chaincodeInput(op: Operation, request: FastifyRequest): Prepared {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) input[op.rename?.[name] ?? name] = value;
  Object.assign(input, request.query, op.fixed);
  const body = request.body;
  if (op.upload) {
    const typed = op.transient?.find((t) => t.typedBy);
    if (typed?.typedBy) {
      input[typed.typedBy] = uploadedMediaType(request.headers['content-type']);
      input[typed.name] = uploadedBytes(body);
    }
  } else if (body !== undefined && body !== null && typeof body === 'object') Object.assign(input, body);
  let transient: Transient | undefined;
  for (const t of op.transient ?? []) {
    const value = input[t.name];
    delete input[t.name];
    if (value === undefined) continue;
    transient ??= {};
    transient[t.name] = transientValue(t, value, input);
  }
  // A fresh salt per private value: the public hash of `salt ‖ value` then confirms no guess.
  if (transient) for (const name of op.salts ?? []) transient[name] = randomBytes(SALT_BYTES).toString('hex');
  if (op.paged) {
    const { limit, cursor } = input;
    delete input['limit'];
    delete input['cursor'];
    if (limit !== undefined) input['pageSize'] = limit;
    const bookmark = decodeCursor(cursor as string | undefined);
    if (bookmark !== undefined) input['bookmark'] = bookmark;
  }
  return transient ? { input, transient } : { input };
}

/**
 * One transient value: uploaded bytes as they are; a typed field (record content) encoded by its
 * media type and held to the content limit; other strings byte for byte, other JSON serialised.
 */
function transientValue(t: TransientField, value: unknown, input: Record<string, unknown>): string | Uint8Array {
  if (Buffer.isBuffer(value)) {
    checkContentSize(value);
    return value;
  }
  if (t.typedBy) {
    const bytes = encodeTypedValue(t.name, value, input[t.typedBy]);
    checkContentSize(bytes);
    return bytes;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The created resource's path, each `:param` from the result, else the request; undefined if one is missing. */
export function locationOf(template: string, result: unknown, input: Record<string, unknown>): string | undefined {
  const fields = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  let complete = true;
  const path = template.replace(/:(\w+)/g, (_m, name: string) => {
    const value = fields[name] ?? input[name];
    if (typeof value !== 'string' && typeof value !== 'number') complete = false;
    return encodeURIComponent(String(value));
  });
  return complete ? path : undefined;
}

function send(reply: FastifyReply, status: number, op: Operation, bytes: Uint8Array, input: Record<string, unknown> = {}): FastifyReply {
  const result = parseResult(bytes);
  const location = status === 201 && op.created ? locationOf(op.created, result, input) : undefined;
  if (location) void reply.header('location', location);
  if (!op.paged) return reply.code(status).send(freshJson(result));
  const page = result as { items?: unknown[]; bookmark?: string };
  return reply.code(status).send({ items: page.items ?? [], nextCursor: encodeCursor(page.bookmark) });
}

/** Chaincode results are JSON text; an empty result is `null`. */
export function parseResult(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return null;
  // A view, not a copy: a record's content comes back as 5.3 MB of base64.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem('LEDGER_BAD_RESPONSE', 'The chaincode returned a result that is not JSON');
  }
}
