/**
 * The dev token endpoint: exists only on the devnet, where the demo identities are synthetic.
 * POST /dev/token { user, mspId? } → a short-lived HS256 bearer token for that demo user.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../auth/tokens';
import { HttpProblem } from '../../errors/problem';
import { certificateAttributes, type Wallet } from '../../fabric/wallet';

export const DEV_TOKEN_TTL_SECONDS = 3600;

const Body = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 64, description: 'Demo user name (`npm start` prints them)', examples: ['clinician1'] }),
    mspId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The user's organisation: needed only if the name is not unique", examples: ['Hospital1MSP'] })),
  },
  { additionalProperties: false, description: 'Who to issue a token for', examples: [{ user: 'clinician1' }] },
);
const Token = Type.Object(
  {
    access_token: Type.String({ description: 'HS256 JWT (`sub` = user, `msp` = MSP id); send as `Authorization: Bearer …`', examples: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwYXRpZW50MSJ9.c2ln'] }),
    token_type: Type.Literal('Bearer', { description: 'Send as `Authorization: Bearer <access_token>`' }),
    expires_in: Type.Integer({ description: 'Seconds the token is valid', examples: [DEV_TOKEN_TTL_SECONDS] }),
    mspId: Type.String({ description: "The user's organisation", examples: ['Hospital1MSP'] }),
    role: Type.String({ description: "The user's role", examples: ['patient'] }),
    patientRef: Type.Optional(Type.String({ description: "A patient's own reference (`patient_id`), the `patientRef` of its resources", examples: ['pt-0c5f1a9e'] })),
  },
  { additionalProperties: false, description: 'A demo bearer token and who it is for' },
);

export interface DevTokenDeps {
  wallet: Wallet;
  /** The HS256 secret the gateway's token verifier accepts. */
  secret: string;
}

/** `POST /dev/token`: a plugin of the public context, registered on the devnet only. */
export function devTokenRoutes(app: FastifyInstance, { wallet, secret }: DevTokenDeps): void {
  app.post(
    '/dev/token',
    { schema: { tags: ['devnet'], summary: 'Demo bearer token (devnet only)', body: Body, response: { 200: Token } } },
    async (request) => {
      const { user: name, mspId } = request.body as { user: string; mspId?: string };
      const matches = wallet.list().filter((u) => u.name === name && (mspId === undefined || u.mspId === mspId));
      const user = matches[0];
      if (!user) throw new HttpProblem('USER_NOT_FOUND');
      if (matches.length > 1) throw new HttpProblem('USER_AMBIGUOUS');
      const token = await issueToken(secret, { name: user.name, mspId: user.mspId }, DEV_TOKEN_TTL_SECONDS);
      const patientRef = certificateAttributes(user.certPem)['patient_id'];
      return { access_token: token, token_type: 'Bearer' as const, expires_in: DEV_TOKEN_TTL_SECONDS, mspId: user.mspId, role: user.role, ...(patientRef ? { patientRef } : {}) };
    },
  );
}
