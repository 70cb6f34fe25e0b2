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
const TX_ID = '9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271';
const MESSAGE = 'CgZoZWFsdGgSBmxlZGdlcg==';
const DIGEST = 'n5u8b2X0ZbJ3mQ9qjQd1eT7nWQ2p5yZ9gYyq0cX4k1M=';
const SIGNATURE = 'MEQCIFr3dMx0t3eWm5i0n8q1d0x7p1oQ9b3Z2yW8c6r4T5aUAiBq2k1Y0f8g7h6j5k4l3m2n1o0p9q8r7s6t5u4v3w2x1A==';
const Base64 = (maxLength: number, description: string, example: string) =>
  Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', minLength: 4, maxLength, description, examples: [example] });
/** A message the gateway issued, with the caller's signature of its digest. */
const Signed = (field: string) =>
  Type.Object(
    {
      [field]: Base64(1_400_000, `The ${field} bytes exactly as the previous step returned them (base64)`, MESSAGE),
      signature: Base64(200, "The caller's ECDSA P-256 signature of the digest (DER, low-S, base64)", SIGNATURE),
    },
    { additionalProperties: false, description: `The signed ${field}` },
  );
/** A message for the caller to sign: its bytes and their SHA-256 digest. */
const ToSign = (field: string) =>
  Type.Object(
    {
      txId: Type.String({ description: 'The transaction id', examples: [TX_ID] }),
      [field]: Type.String({ description: `The ${field} bytes (base64): send them back with the signature`, examples: [MESSAGE] }),
      digest: Type.String({ description: 'SHA-256 of the bytes (base64): sign it as a pre-hashed ECDSA P-256 digest', examples: [DIGEST] }),
    },
    { additionalProperties: false, description: `A ${field} to sign` },
  );

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
            fn: StringEnum([...SIGNABLE.keys()], { description: 'The submit transaction to sign (`contract:name`)', examples: ['consent:grantConsent'] }),
            request: Type.Object(
              {},
              {
                additionalProperties: true,
                description: "The transaction's request, as its catalogue schema says (the REST operation's body and path parameters)",
                examples: [{ consentId: 'cns-1', patientRef: 'pt-0c5f1a9e', grantee: { org: 'Hospital2MSP' }, period: { start: '2026-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }] }],
              },
            ),
            transient: Type.Optional(
              Type.Record(Type.String({ pattern: '^[a-z]{1,32}$' }), Type.String({ maxLength: 300_000 }), {
                description: 'Private inputs sent as transient data (key → text), never written to the ledger',
              }),
            ),
          },
          { additionalProperties: false, description: 'What to sign' },
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
    { schema: { tags, summary: 'Endorse a client-signed proposal', body: Signed('proposal'), response: {
          200: Type.Object(
            { ...ToSign('transaction').properties, result: Type.Unknown({ description: "The transaction's JSON result as endorsed (null if empty)", examples: [{ consentId: 'cns-1', status: 'active' }] }) },
            { additionalProperties: false, description: 'The endorsed transaction to sign' },
          ),
        },
      },
    },
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
            {
              txId: Type.String({ description: 'The transaction id', examples: [TX_ID] }),
              successful: Type.Boolean({ description: 'Committed as valid', examples: [true] }),
              code: Type.Integer({ description: "Fabric's validation code (0 = VALID)", examples: [0] }),
              blockNumber: Type.String({ description: 'The block that holds it (decimal string)', examples: ['7'] }),
            },
            { additionalProperties: false, description: 'The commit status' },
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
