/**
 * Event delivery over HTTP: a Server-Sent Events stream (`GET /events`, resumable with
 * `Last-Event-ID`) and webhook registration. Events carry ids and actions, never PHI; each
 * subscriber gets only the changes its role and organisation may see (events/entitlement.ts);
 * patients are not offered the stream (it spans every patient).
 */
import type { Writable } from 'node:stream';
import type { OutgoingHttpHeaders } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteContext, RouteModule } from './context';
import type { OperationNotice } from '../operations/model';
import { ownerOf } from '../operations/runner';
import { principalOf } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import type { FabricUser } from '../fabric/wallet';
import { eventFor } from '../events/entitlement';
import type { EventFeed } from '../events/feed';
import type { LoggedEvent } from '../events/log';
import { Webhooks, matches, ownerId } from '../events/webhooks';

const tags = ['events'];

/** Resolves once `stream` can take more (or is closed): a slow reader holds back the replay, not memory. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
const HEARTBEAT_MS = 15_000;

function requireStaff(request: Parameters<typeof principalOf>[0]): FabricUser {
  const { user } = principalOf(request);
  if (user.role === 'patient') throw new HttpProblem('ROLE_FORBIDDEN', 'The event stream is for organisation systems');
  return user;
}

const Types = Type.Optional(Type.String({ pattern: '^[a-z-]+(,[a-z-]+)*$', description: 'Comma-separated change types, e.g. record,claim' }));
/**
 * A webhook URL: http(s), a DNS name or bracketed IP address, an optional port, then printable
 * ASCII only — no spaces, control characters (NUL) or bidi overrides a receiver's URL never has.
 */
const WEBHOOK_URL = '^https?://([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?(/[\\x21-\\x7e]{0,1900})?$';
const WebhookView = Type.Object(
  {
    id: Type.String({ description: 'The webhook id (UUID)', examples: ['7d9f1c2e-4b3a-4e5f-8a6b-1c2d3e4f5a6b'] }),
    url: Type.String({ description: 'Where the changes are POSTed', examples: ['https://his.hospital1.example/healthledger/events'] }),
    types: Type.Array(Type.String({ description: 'A change type', examples: ['record'] }), { description: 'The change types it receives; empty: all it may see' }),
    createdAt: Type.String({ description: 'When it was registered (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    secret: Type.Optional(
      Type.String({
        description: 'Only in the answer to its registration: the HMAC-SHA256 key of `X-Healthledger-Signature` (keep it; it is not shown again)',
        examples: ['whsec_4f0c2b7e9a1d3c5e7f9b1d3f5a7c9e2b'],
      }),
    ),
  },
  { additionalProperties: false, description: 'A webhook' },
);
/** One SSE message, as `GET /events` writes it. */
const SSE_EXAMPLE = 'id: 42\nevent: changes\ndata: {"blockNumber":"7","txId":"9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271","changes":[{"type":"record","id":"rec-1","action":"created"}]}\n\n: replayed\n\n';

export function eventRoutes(feed: EventFeed): RouteModule {
  return (app: FastifyInstance, ctx: RouteContext) => {
    const webhooks = new Webhooks(feed.dataDir, feed, app.log);
    const streams = new Set<FastifyReply>();
    let unannounce: (() => void) | undefined;
    app.addHook('onReady', (done) => {
      webhooks.start();
      unannounce = ctx.operations.subscribe((notice) => webhooks.announce(notice));
      done();
    });
    app.addHook('preClose', async () => {
      unannounce?.();
      for (const reply of streams) reply.raw.end();
      await webhooks.stop();
    });

    app.get(
      '/events',
      {
        schema: {
          tags,
          summary: "Server-Sent Events stream of ledger changes (resume with Last-Event-ID), and of the caller's own operations",
          description:
            'Ledger changes are `changes` events with an `id` (the log position). The caller\'s asynchronous operations are announced as ' +
            '`operation.progress` (at most one a second per operation) and `operation.completed` events, without an `id`: they are not in ' +
            'the ledger\'s log and are not replayed (poll `GET /operations` after a reconnect). `types=operation` selects them.',
          querystring: Type.Object(
            { types: Types, after: Type.Optional(Type.Integer({ minimum: 0, description: 'Resume after this event id (as `Last-Event-ID`); default: live changes only', examples: [41] })) },
            { additionalProperties: false },
          ),
          headers: Type.Object({
            'last-event-id': Type.Optional(
              Type.String({ pattern: '^[0-9]{1,15}$', description: 'Resume after this event id, as an EventSource sends it on reconnect; wins over `after`', examples: ['41'] }),
            ),
          }),
          produces: ['text/event-stream'],
          response: {
            200: {
              description: 'The stream: each change as `id`, `event: changes` and `data` (JSON: blockNumber, txId, changes); `: replayed` ends the replay, `: keep-alive` comments follow',
              content: { 'text/event-stream': { schema: Type.String({ description: 'Server-Sent Events', examples: [SSE_EXAMPLE] }) } },
            },
          },
        },
      },
      (request, reply) => {
        const user = requireStaff(request);
        const query = request.query as { types?: string; after?: number };
        const types = query.types ? query.types.split(',') : [];
        const lastId = Number(request.headers['last-event-id'] ?? query.after ?? feed.log.head);
        let cursor = Number.isInteger(lastId) && lastId >= 0 ? lastId : feed.log.head;
        reply.hijack();
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as OutgoingHttpHeaders), // the security headers (http/security-headers.ts), set on every reply
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-content-type-options': 'nosniff',
          'x-request-id': request.id,
        });
        // Send the headers now: with nothing to replay, the first write is the heartbeat, and a
        // client would otherwise wait that long (15 s) to learn the stream is open.
        reply.raw.flushHeaders();
        const raw = reply.raw;
        /** Writes an event the caller may see; false: the socket's buffer is full (wait for drain). */
        const write = (logged: LoggedEvent): boolean => {
          if (logged.seq <= cursor) return true;
          cursor = logged.seq;
          const event = eventFor(logged, user, feed.consents);
          if (!event || !matches(types, event)) return true;
          return raw.write(`id: ${event.seq}\nevent: changes\ndata: ${JSON.stringify({ blockNumber: event.blockNumber, txId: event.txId, changes: event.changes })}\n\n`);
        };
        const owner = ownerOf(user);
        const announce = (notice: OperationNotice) => {
          if (notice.operation.owner !== owner || (types.length > 0 && !types.includes('operation'))) return;
          raw.write(`event: ${notice.type}\ndata: ${JSON.stringify(notice.operation)}\n\n`);
        };
        // Subscribe first, then replay: events logged meanwhile wait until the replay has passed
        // them (the replay reads from disk, a page at a time), then go out once (seq check).
        const live: LoggedEvent[] = [];
        let replaying = true;
        const unsubscribe = feed.subscribe((event) => (replaying ? live.push(event) : write(event)));
        const unsubscribeOperations = ctx.operations.subscribe(announce);
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
        streams.add(reply);
        raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          unsubscribeOperations();
          streams.delete(reply);
        });
        void (async () => {
          for await (const event of feed.log.since(cursor)) {
            if (raw.destroyed || raw.writableEnded) return;
            if (!write(event)) await drained(raw);
          }
          replaying = false;
          for (const event of live.splice(0)) write(event);
          // A comment (EventSource ignores it): the replay is over, what follows is live.
          raw.write(': replayed\n\n');
        })().catch((err: unknown) => {
          request.log.error({ err }, 'event replay failed');
          raw.destroy();
        });
      },
    );

    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          summary: 'Register a webhook; the signing secret is returned once',
          body: Type.Object(
            {
              url: Type.String({ pattern: WEBHOOK_URL, maxLength: 2000, description: 'Where to POST the changes: http(s), printable ASCII', examples: ['https://his.hospital1.example/healthledger/events'] }),
              types: Type.Optional(
                Type.Array(Type.String({ pattern: '^[a-z-]{1,40}$', description: 'A change type', examples: ['record'] }), { maxItems: 20, description: 'Only these change types; default: all the caller may see' }),
              ),
            },
            { additionalProperties: false, description: 'The webhook to register' },
          ),
          response: { 201: WebhookView },
        },
      },
      async (request, reply) => {
        const user = requireStaff(request);
        const body = request.body as { url: string; types?: string[] };
        const hook = webhooks.register(user, body.url, body.types ?? []);
        return reply.code(201).send({ id: hook.id, url: hook.url, types: hook.types, createdAt: hook.createdAt, secret: hook.secret });
      },
    );

    app.get('/webhooks', { schema: { tags, summary: "The caller's webhooks", response: { 200: Type.Array(WebhookView, { description: "The caller's webhooks (without their secrets)" }) } } }, async (request) => {
      await Promise.resolve();
      return webhooks.list(ownerId(requireStaff(request))).map(({ id, url, types, createdAt }) => ({ id, url, types, createdAt }));
    });

    app.delete(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Remove a webhook',
          params: Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36, description: 'The webhook id', examples: ['7d9f1c2e-4b3a-4e5f-8a6b-1c2d3e4f5a6b'] }) }, { additionalProperties: false }),
          response: { 204: Type.Null({ description: 'Removed: nothing more is sent to it' }) },
        },
      },
      async (request, reply) => {
        if (!webhooks.remove(ownerId(requireStaff(request)), (request.params as { id: string }).id)) throw new HttpProblem('WEBHOOK_NOT_FOUND');
        return reply.code(204).send();
      },
    );
  };
}
