/**
 * Offline signing for patient-held keys (fabric-gateway's offline flow over REST). The gateway
 * builds messages for the caller's certificate and relays the caller's signatures; it never
 * holds or uses the caller's private key:
 *
 *   POST /offline/proposals                → proposal bytes + digest      (client signs digest)
 *   POST /offline/proposals/endorsement    → transaction bytes + digest   (client signs digest)
 *   POST /offline/transactions/submission  → commit-status request + digest (client signs digest)
 *   POST /offline/commits/status           → the commit status
 *
 * Digests are SHA-256 of the bytes; sign them as pre-hashed ECDSA P-256 (low-S, DER), e.g. with
 * fabric-gateway's `signers.newPrivateKeySigner`.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { firstInvalidField, StringEnum, TRANSACTIONS } from '@healthledger/contract-api';
import type { RouteModule } from './context';
import { principalOf } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import { checkOfflineMessage, type OfflineMessageKind } from '../offline/messages';

const tags = ['offline signing'];
const Base64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', minLength: 4, maxLength });
const Signed = (field: string) =>
  Type.Object({ [field]: Base64(1_400_000), signature: Base64(200) }, { additionalProperties: false });
const ToSign = (field: string) =>
  Type.Object({ txId: Type.String(), [field]: Type.String(), digest: Type.String() }, { additionalProperties: false });

/** Steps the gateway runs on a caller's behalf around a staged transaction (not signed offline). */
const STAGING_STEPS = new Set(
  TRANSACTIONS.flatMap((t) => (t.stagedBy ? [`${t.contract}:${t.stagedBy.stage}`, `${t.contract}:${t.stagedBy.discard}`] : [])),
);

/** Submit transactions a client may sign itself, with the chaincode's request schemas. */
const SIGNABLE = new Map<string, TSchema>(
  TRANSACTIONS.filter((t) => t.mode === 'submit' && !STAGING_STEPS.has(t.qualifiedName)).map((t) => [t.qualifiedName, t.request]),
);

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytesOf = (text: string) => Buffer.from(text, 'base64');

/** The message and signature of a signed body, decoded and checked (400 OFFLINE_MESSAGE_INVALID if they cannot be what we issued). */
function signedInput(kind: OfflineMessageKind, body: Record<string, string>, channel: string): { message: Buffer; signature: Buffer } {
  const message = bytesOf(body[kind] ?? '');
  const signature = bytesOf(body['signature'] ?? '');
  checkOfflineMessage(kind, message, signature, channel);
  return { message, signature };
}

export const offlineRoutes: RouteModule = (app, { ledger }) => {
  const channel = ledger.channel;
  app.post(
    '/offline/proposals',
    {
      schema: {
        tags,
        summary: 'Prepare an unsigned proposal for the caller (e.g. a patient granting consent)',
        body: Type.Object(
          {
            fn: StringEnum([...SIGNABLE.keys()]),
            request: Type.Object({}, { additionalProperties: true }),
            transient: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]{1,32}$' }), Type.String({ maxLength: 300_000 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: ToSign('proposal') },
      },
    },
    async (request, reply) => {
      await Promise.resolve();
      const { user } = principalOf(request);
      const body = request.body as { fn: string; request: object; transient?: Record<string, string> };
      const schema = SIGNABLE.get(body.fn);
      const invalid = schema ? firstInvalidField(schema, body.request) : undefined;
      if (invalid) throw new HttpProblem('VALIDATION_FAILED', 'The request is invalid', {}, [{ pointer: `/body/request${invalid.path}`, detail: invalid.message }]);
      const prepared = ledger.offline.prepare(user, { fn: body.fn, args: [JSON.stringify(body.request)], transient: body.transient });
      return reply.code(201).send({ txId: prepared.txId, proposal: b64(prepared.bytes), digest: b64(prepared.digest) });
    },
  );

  app.post(
    '/offline/proposals/endorsement',
    { schema: { tags, summary: 'Endorse a client-signed proposal', body: Signed('proposal'), response: { 200: Type.Object({ ...ToSign('transaction').properties, result: Type.Unknown() }, { additionalProperties: false }) } } },
    async (request) => {
      const { user } = principalOf(request);
      const { message, signature } = signedInput('proposal', request.body as Record<string, string>, channel);
      const endorsed = await ledger.offline.endorse(user, message, signature);
      const text = Buffer.from(endorsed.result).toString('utf8');
      return { txId: endorsed.txId, transaction: b64(endorsed.bytes), digest: b64(endorsed.digest), result: text === '' ? null : (JSON.parse(text) as unknown) };
    },
  );

  app.post(
    '/offline/transactions/submission',
    { schema: { tags, summary: 'Submit a client-signed transaction', body: Signed('transaction'), response: { 200: ToSign('commit') } } },
    async (request) => {
      const { user } = principalOf(request);
      const { message, signature } = signedInput('transaction', request.body as Record<string, string>, channel);
      const submitted = await ledger.offline.submit(user, message, signature);
      return { txId: submitted.txId, commit: b64(submitted.bytes), digest: b64(submitted.digest) };
    },
  );

  app.post(
    '/offline/commits/status',
    {
      schema: {
        tags,
        summary: 'Wait for the commit status with a client-signed status request',
        body: Signed('commit'),
        response: {
          200: Type.Object(
            { txId: Type.String(), successful: Type.Boolean(), code: Type.Integer(), blockNumber: Type.String() },
            { additionalProperties: false },
          ),
        },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const { message, signature } = signedInput('commit', request.body as Record<string, string>, channel);
      const status = await ledger.offline.status(user, message, signature);
      return { txId: status.transactionId, successful: status.successful, code: status.code, blockNumber: status.blockNumber.toString() };
    },
  );
};
