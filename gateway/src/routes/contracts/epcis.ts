/**
 * GS1 EPCIS 2.0 REST binding, as far as this ledger implements it (docs/design/trace.md, "EPCIS
 * 2.0 interfaces"): the capture interface (`POST /epcis/capture` with an EPCISDocument, answered
 * 202 with a capture job; `GET /epcis/capture/{captureID}`) and the events query
 * (`GET /epcis/events` with the common query parameters, answered with an EPCISQueryDocument).
 * `POST /epcis/events` (one event, synchronous) is a catalogue route in trace.ts.
 */
import { StringEnum, checkEpcisFieldNames, EPCIS_CONTEXT, EpcisCaptureDocument, EpcisEventJson as EpcisEventSchema, MAX_CAPTURE_EVENTS, TRACE, type EpcisEvent, type PackId } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context';
import { principalOf, signingUserOf } from '../../auth/principal';
import { mapError } from '../../errors/mapper';
import { HttpProblem } from '../../errors/problem';
import { captureJobOf, captureKind, initialCaptureState, type CaptureErrorBehaviour, type CaptureInput } from '../../epcis/capture-jobs';
import { matchesQuery, mergeHistories, parseEventQuery, queryDocument, QUERY_PARAMETERS, type EpcisEventJson } from '../../epcis/query';
import type { FabricUser } from '../../fabric/wallet';
import { POLL_AFTER_SECONDS, requireGate } from '../../operations/accepted';
import { ownerOf } from '../../operations/runner';
import { parseResult } from './operation';
import { ProblemSchema } from '../../openapi/responses';

/** The problem shape inline (the capture job's errors; a `$ref` would not resolve in the response validator). */
const { $id: _problemId, ...ProblemInline } = ProblemSchema;

const tags = ['traceability'];

const CaptureJobSchema = Type.Object(
  {
    captureID: Type.String({ description: 'The job id (32 hex digits)', examples: ['5d41402abc4b2a76b9719d911017c592'] }),
    createdAt: Type.String({ description: 'When the document was accepted (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    finishedAt: Type.Optional(Type.String({ description: 'When the last event was settled', examples: ['2026-12-05T10:15:02.000Z'] })),
    running: Type.Boolean({ description: 'Events are still being captured', examples: [false] }),
    success: Type.Boolean({ description: 'False once any event failed', examples: [true] }),
    captureErrorBehaviour: StringEnum(['rollback', 'proceed'], { description: 'rollback: stop at the first failing event; proceed: attempt every event', examples: ['rollback'] }),
    errors: Type.Array(ProblemInline, { description: 'One problem per failed event; `instance` points at the event (`#/epcisBody/eventList/2`)' }),
    'hl:events': Type.Array(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0, description: 'Index in `epcisBody.eventList`', examples: [0] }),
          eventID: Type.Optional(Type.String({ description: "The event's own eventID, if it had one", examples: ['ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0'] })),
          status: StringEnum(['committed', 'failed', 'not_attempted'], { description: 'What became of it', examples: ['committed'] }),
          operation: Type.Optional(Type.String({ description: 'The ledger operation it became (commission, ship, recordObservation, …)', examples: ['commission'] })),
          txId: Type.Optional(Type.String({ description: 'Its transaction', examples: ['9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271'] })),
        },
        { additionalProperties: false, description: 'One event of the document' },
      ),
      { description: 'Per event of the document, in order' },
    ),
  },
  {
    additionalProperties: false,
    description: 'A GS1 EPCIS capture job, with what each event became (`hl:events`); the same operation is GET /operations/{captureID}',
    examples: [
      {
        captureID: '5d41402abc4b2a76b9719d911017c592',
        createdAt: '2026-12-05T10:15:00.000Z',
        finishedAt: '2026-12-05T10:15:02.000Z',
        running: false,
        success: true,
        captureErrorBehaviour: 'rollback',
        errors: [],
        'hl:events': [{ index: 0, status: 'committed', operation: 'commission', txId: '9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271' }],
      },
    ],
  },
);

const QueryString = Type.Object(
  Object.fromEntries(QUERY_PARAMETERS.map((name) => [name, Type.Optional(Type.String({ maxLength: 4096, description: `EPCIS SimpleEventQuery parameter ${name}` }))])),
  { additionalProperties: true, description: 'Lists are |-separated; other parameters are refused by name' },
);

/** Registers the EPCIS capture and query routes (inside the trace plugin, which parses JSON-LD). */
export function epcisRoutes(app: FastifyInstance, ctx: RouteContext): void {
  ctx.operations.define<CaptureInput>(
    'epcis-capture',
    captureKind(async (user, event, journal) => {
      const outcome = await ctx.ledger.submit(user, { fn: TRACE.captureEpcis.qualifiedName, args: [JSON.stringify(event)], journal });
      const result = parseResult(outcome.result) as { operation?: unknown } | null;
      return { operation: typeof result?.operation === 'string' ? result.operation : '', txId: outcome.txId };
    }),
  );

  app.post(
    '/epcis/capture',
    {
      schema: {
        tags,
        summary: `Capture an EPCISDocument of up to ${MAX_CAPTURE_EVENTS} events (GS1 EPCIS 2.0 capture interface)`,
        description:
          'Answers 202 with `Location: /epcis/capture/{captureID}`; the events are then captured one ledger transaction each, in order. ' +
          'GS1-Capture-Error-Behaviour `rollback` (default): capture stops at the first failing event and the job lists the events that ' +
          'committed (committed transactions cannot be undone); `proceed`: every event is attempted. ' +
          `Callers: ${TRACE.captureEpcis.callers.rule} (manufacturer, distributor or dispenser).`,
        body: EpcisCaptureDocument,
        headers: Type.Object({
          'gs1-capture-error-behaviour': Type.Optional(StringEnum(['rollback', 'proceed'], { description: 'rollback (default): stop at the first failing event; proceed: attempt every event' })),
        }),
        response: { 202: CaptureJobSchema },
      },
    },
    async (request, reply) => {
      const user = signingUserOf(request);
      // The events' own transaction gate, checked before a job is started for a caller who can capture nothing.
      requireGate(TRACE.captureEpcis.callers, user);
      const document = request.body as EpcisCaptureDocument;
      const events = document.epcisBody.eventList;
      requireEpcisFields(events);
      const behaviour = (request.headers['gs1-capture-error-behaviour'] as CaptureErrorBehaviour | undefined) ?? 'rollback';
      const input: CaptureInput = { context: document['@context'], events, behaviour };
      const job = captureJobOf(ctx.operations.start(user, 'epcis-capture', input, events.length, initialCaptureState(input)));
      return reply.code(202).header('location', `/epcis/capture/${job.captureID}`).header('retry-after', String(POLL_AFTER_SECONDS)).header('gs1-epcis-capture-limit', String(MAX_CAPTURE_EVENTS)).send(job);
    },
  );

  app.get(
    '/epcis/capture/:captureID',
    {
      schema: {
        tags,
        summary: 'A capture job: running, success, and per event what it became (GS1 EPCIS 2.0 capture interface)',
        description: 'Callers: the user who started the job. The same operation in the common shape: GET /operations/{captureID}.',
        params: Type.Object({ captureID: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The job id, from `Location`', examples: ['5d41402abc4b2a76b9719d911017c592'] }) }, { additionalProperties: false }),
        response: { 200: CaptureJobSchema },
      },
    },
    (request, reply) => {
      const { captureID } = request.params as { captureID: string };
      const record = ctx.operations.recordOf(captureID, ownerOf(principalOf(request).user));
      if (record?.kind !== 'epcis-capture') throw new HttpProblem('CAPTURE_JOB_NOT_FOUND');
      return reply.send(captureJobOf(record));
    },
  );

  app.get(
    '/epcis/events',
    {
      schema: {
        tags,
        summary: 'EPCIS events of named packs as an EPCISQueryDocument (GS1 EPCIS 2.0 query interface, SimpleEventQuery)',
        description:
          `Needs MATCH_epc or MATCH_anyEPC naming up to 20 SGTINs. Filters: ${QUERY_PARAMETERS.join(', ')}. ` +
          'Callers: any consortium member (as for a pack history).',
        querystring: QueryString,
        response: { 200: QueryDocument },
      },
    },
    async (request) => {
      const user = signingUserOf(request);
      const query = parseEventQuery(request.query as Record<string, unknown>, new Date().getUTCFullYear());
      const histories = await Promise.all(query.packs.map((pack) => historyOf(ctx, user, pack)));
      const events = mergeHistories(histories).filter((event) => matchesQuery(event, query));
      return queryDocument(events, new Date().toISOString());
    },
  );
}

/**
 * The outline of an EPCISQueryDocument (GS1 EPCIS 2.0 JSON): the events themselves are the pack
 * histories' EPCIS 2.0 JSON, validated against GS1's schema in the tests, not restated here.
 */
const QueryDocument = Type.Object(
  {
    '@context': Type.Unknown({ description: "GS1's EPCIS 2.0 JSON-LD context and the hl: extension namespace", examples: [EPCIS_CONTEXT] }),
    type: Type.Literal('EPCISQueryDocument', { description: 'An EPCIS query document' }),
    schemaVersion: Type.String({ description: 'EPCIS version', examples: ['2.0'] }),
    creationDate: Type.String({ description: 'When the document was made (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    epcisBody: Type.Object(
      {
        queryResults: Type.Object(
          {
            queryName: Type.Literal('SimpleEventQuery', { description: 'The query answered' }),
            resultsBody: Type.Object({ eventList: Type.Array(EpcisEventSchema, { description: 'The matching events, oldest first' }) }, { description: 'The results' }),
          },
          { description: 'The query results' },
        ),
      },
      { description: 'The body' },
    ),
  },
  { description: 'An EPCISQueryDocument holding the matching events' },
);

/** Refuses a document whose events carry keys that are neither EPCIS fields nor namespaced extensions. */
function requireEpcisFields(events: EpcisEvent[]): void {
  events.forEach((event, i) => {
    const field = checkEpcisFieldNames(event, `/body/epcisBody/eventList/${i}`);
    if (field !== undefined) {
      const detail = /\/ilmd\/(lotNumber|itemExpirationDate)$/.test(field) ? 'CBV master data is cbvmda:lotNumber, cbvmda:itemExpirationDate' : 'not an EPCIS 2.0 field (extension fields are namespaced, prefix:name)';
      throw new HttpProblem('VALIDATION_FAILED', `${field}: ${detail}`, {}, [{ pointer: field, detail }]);
    }
  });
}

/** A pack's history events; none for a pack the ledger does not know (a query matches nothing then). */
async function historyOf(ctx: RouteContext, user: FabricUser, pack: PackId): Promise<EpcisEventJson[]> {
  try {
    const bytes = await ctx.ledger.evaluate(user, { fn: TRACE.packHistory.qualifiedName, args: [JSON.stringify(pack)] });
    const document = parseResult(bytes) as { epcisBody?: { eventList?: EpcisEventJson[] } } | null;
    return document?.epcisBody?.eventList ?? [];
  } catch (err) {
    if (mapError(err).problem.code === 'PACK_NOT_FOUND') return [];
    throw err;
  }
}
