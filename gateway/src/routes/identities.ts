/**
 * Identity lifecycle over REST (docs/design/identity.md): an organisation's `admin` registers,
 * enrolls, re-enrolls and revokes the identities of its own organisation through the
 * organisation's certificate authority. Names are scoped to the caller's organisation, so another
 * organisation's identities are not found (404) rather than confirmed and refused. Secrets are
 * answered once and never stored here; private keys never leave the gateway's data directory.
 */
import { ROLES, StringEnum } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from './context';
import { principalOf } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import type { FabricUser } from '../fabric/wallet';
import { REVOCATION_REASONS } from '../identity/authority';
import type { IdentityRecord, IdentityService } from '../identity/service';

const tags = ['identities'];
const NAME = '^[a-z][a-z0-9._-]{0,62}$';
const SERIAL = '5d1c0a8e2f7b4c6d9e0f1a2b3c4d5e6f';
const CSR = Type.String({ maxLength: 8000, pattern: '^-----BEGIN CERTIFICATE REQUEST-----', description: 'PEM PKCS#10 request for an ECDSA P-256 key the user keeps (non-custodial); omit it and the gateway makes and keeps the key' });

const Identity = Type.Object(
  {
    name: Type.String({ description: 'Enrollment id, unique within the organisation', examples: ['clinician7'] }),
    mspId: Type.String({ description: 'The organisation', examples: ['Hospital1MSP'] }),
    role: Type.String({ description: 'The `role` attribute of its certificates', examples: ['clinician'] }),
    affiliation: Type.String({ description: 'Fabric CA affiliation', examples: ['hospital1.cardiology'] }),
    attrs: Type.Record(Type.String(), Type.String(), { description: 'Certificate attributes (`role`, `practitioner_id`, `patient_id`)', examples: [{ role: 'clinician', practitioner_id: 'prac-h1-0007' }] }),
    status: StringEnum(['registered', 'enrolled', 'revoked'], { description: 'Lifecycle state', examples: ['enrolled'] }),
    custody: Type.Optional(StringEnum(['gateway', 'user'], { description: '`gateway`: the gateway holds the key and signs; `user`: the user holds it (offline signing)', examples: ['gateway'] })),
    serials: Type.Array(Type.String({ examples: [SERIAL] }), { description: 'Serial numbers (hex) of every certificate issued, oldest first' }),
    revokedSerials: Type.Array(Type.String({ examples: [SERIAL] }), { description: 'Serial numbers revoked' }),
    certificate: Type.Optional(Type.String({ description: 'The current certificate (PEM)', examples: ['-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n'] })),
    registeredAt: Type.String({ description: 'When it was registered (ISO 8601)', examples: ['2026-12-05T10:15:00.000Z'] }),
    updatedAt: Type.String({ description: 'Last change (ISO 8601)', examples: ['2026-12-05T10:16:00.000Z'] }),
  },
  { additionalProperties: false, description: 'An identity of the organisation (no secret, no key)' },
);
const Registered = Type.Object(
  {
    identity: Identity,
    enrollmentSecret: Type.String({ description: 'One-time enrollment secret; answered only here, never again', examples: ['q3V8Xl0cJ9bZrT2uYwKp1A0d'] }),
  },
  { additionalProperties: false },
);
const NameParams = Type.Object({ name: Type.String({ pattern: NAME, description: 'Enrollment id of the identity, unique within the organisation' }) }, { additionalProperties: false });

function view(record: IdentityRecord) {
  const { certPem, ...rest } = record;
  return { ...rest, ...(certPem ? { certificate: certPem } : {}) };
}

/** The caller, who must be an `admin` of an organisation whose CA this gateway reaches. */
function adminOf(request: FastifyRequest, identities: IdentityService | undefined): { admin: FabricUser; identities: IdentityService } {
  const { user } = principalOf(request);
  if (user.role !== 'admin') throw new HttpProblem('IDENTITY_ADMIN_REQUIRED');
  if (!identities?.manages(user.mspId)) throw new HttpProblem('IDENTITY_LIFECYCLE_UNAVAILABLE');
  return { admin: user, identities };
}

export const identityRoutes: RouteModule = (app, { identities }) => {
  app.post(
    '/identities',
    {
      schema: {
        tags,
        summary: "Register an identity of the caller's organisation (admins only); the enrollment secret is answered once",
        body: Type.Object(
          {
            name: Type.String({ pattern: NAME, description: 'Enrollment id', examples: ['clinician7'] }),
            role: StringEnum(ROLES, { description: 'The `role` attribute', examples: ['clinician'] }),
            affiliation: Type.Optional(Type.String({ pattern: '^[a-z0-9.-]{0,64}$', description: 'Fabric CA affiliation', examples: ['hospital1.cardiology'] })),
            practitionerId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'A clinician’s practitioner id', examples: ['prac-h1-0007'] })),
            patientId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: "A patient's pseudonymous reference", examples: ['pt-1a2b3c4d'] })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Registered },
      },
    },
    async (request, reply) => {
      const { admin, identities: service } = adminOf(request, identities);
      const { record, secret } = await service.register(admin.mspId, request.body as Parameters<IdentityService['register']>[1]);
      return reply.code(201).header('location', `/identities/${record.name}`).send({ identity: view(record), enrollmentSecret: secret });
    },
  );

  app.get('/identities', { schema: { tags, summary: "The identities registered here for the caller's organisation (admins only)", response: { 200: Type.Array(Identity, { description: "The organisation's identities, in registration order" }) } } }, async (request) => {
    await Promise.resolve();
    const { admin, identities: service } = adminOf(request, identities);
    return service.list(admin.mspId).map(view);
  });

  app.get('/identities/:name', { schema: { tags, summary: 'One identity: status, role, serials (admins only)', params: NameParams, response: { 200: Identity } } }, async (request) => {
    await Promise.resolve();
    const { admin, identities: service } = adminOf(request, identities);
    return view(service.get(admin.mspId, (request.params as { name: string }).name));
  });

  app.post(
    '/identities/:name/enrollment',
    {
      schema: {
        tags,
        summary: 'Enroll with the one-time secret: a certificate for a key the gateway makes (custodial) or for the CSR given (admins only)',
        params: NameParams,
        body: Type.Object({ secret: Type.String({ minLength: 1, maxLength: 200, description: 'The enrollment secret', examples: ['q3V8Xl0cJ9bZrT2uYwKp1A0d'] }), csr: Type.Optional(CSR) }, { additionalProperties: false }),
        response: { 200: Identity },
      },
    },
    async (request) => {
      const { admin, identities: service } = adminOf(request, identities);
      const body = request.body as { secret: string; csr?: string };
      return view(await service.enroll(admin.mspId, (request.params as { name: string }).name, body.secret, body.csr));
    },
  );

  app.post(
    '/identities/:name/reenrollment',
    {
      schema: {
        tags,
        summary: 'Key rotation: a new certificate (new serial) for a new key; the previous certificate stays valid until revoked (admins only)',
        params: NameParams,
        body: Type.Object({ csr: Type.Optional(CSR) }, { additionalProperties: false }),
        response: { 200: Identity },
      },
    },
    async (request) => {
      const { admin, identities: service } = adminOf(request, identities);
      return view(await service.reenroll(admin.mspId, (request.params as { name: string }).name, (request.body as { csr?: string } | undefined)?.csr));
    },
  );

  app.post(
    '/identities/:name/revocation',
    {
      schema: {
        tags,
        summary: "Revoke every certificate of the identity; the organisation's new CRL goes into the channel config, so the ledger refuses them (admins only)",
        params: NameParams,
        body: Type.Object({ reason: StringEnum(REVOCATION_REASONS, { description: 'RFC 5280 reason', examples: ['cessationofoperation'] }) }, { additionalProperties: false }),
        response: { 200: Identity },
      },
    },
    async (request) => {
      const { admin, identities: service } = adminOf(request, identities);
      return view(await service.revoke(admin.mspId, (request.params as { name: string }).name, (request.body as { reason: string }).reason));
    },
  );
};
