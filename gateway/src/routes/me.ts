/**
 * `GET /me`: who the caller is to the ledger, and what it may call. The identity comes from the
 * certificate the gateway signs with (organisation, role, Fabric CA attributes such as the
 * patient reference); the operations are the routes of the transaction catalogue whose caller
 * gate admits the caller, decided by the contract API's {@link gateRefusal} — the same gate the
 * chaincode enforces — so the list never promises a call the gate refuses. A listed operation may
 * still be refused on the data (not the custodian, no consent): its `rule` says when.
 */
import { gateRefusal, ORGANIZATION_KINDS, StringEnum, type OrgKind } from '@healthledger/contract-api';
import { Type, type Static } from '@sinclair/typebox';
import type { RouteModule } from './context';
import { principalOf } from '../auth/principal';
import { certificateAttributes, type FabricUser } from '../fabric/wallet';
import { CONTRACT_ROUTE_TABLE } from './contracts';
import { openApiPath, operationIdOf, type Route } from './contracts/operation';

/** Every organisation kind: a record over `OrgKind`, so a kind added to the consortium schema does not compile until listed. */
const KINDS: Record<OrgKind, true> = { provider: true, payer: true, manufacturer: true, distributor: true, regulator: true, research: true };
const ORG_KINDS = Object.keys(KINDS) as OrgKind[];

const AllowedOperation = Type.Object(
  {
    method: StringEnum(['GET', 'POST', 'PUT', 'DELETE'], { description: 'HTTP method', examples: ['POST'] }),
    path: Type.String({ description: 'OpenAPI path template', examples: ['/records/{recordId}/access'] }),
    operationId: Type.String({ description: 'operationId of the route in the OpenAPI document', examples: ['records_requestAccess'] }),
    transaction: Type.String({ description: 'The chaincode transaction (`contract:name`)', examples: ['records:requestAccess'] }),
    rule: Type.String({ description: 'Who may call, in full, including the checks made on the data', examples: ['any identity; the decision (granted or denied) is logged as a disclosure'] }),
  },
  { additionalProperties: false },
);

export const Me = Type.Object(
  {
    user: Type.String({ description: 'Name of the identity in the gateway wallet', examples: ['patient1'] }),
    organisation: Type.Object(
      {
        mspId: Type.String({ description: 'Fabric MSP id of the organisation', examples: ['Hospital1MSP'] }),
        kind: Type.Optional(StringEnum(ORG_KINDS, { description: 'Kind of organisation; absent outside the consortium', examples: ['provider'] })),
      },
      { additionalProperties: false, description: 'The organisation the caller acts for' },
    ),
    role: Type.String({ description: 'The `role` attribute of the certificate', examples: ['patient'] }),
    ids: Type.Object(
      {
        patientRef: Type.Optional(Type.String({ description: "A patient's pseudonymous reference (`patient_id`): the `patientRef` of the patient's own resources", examples: ['pt-0c5f1a9e'] })),
        practitionerId: Type.Optional(Type.String({ description: "A clinician's practitioner id (`practitioner_id`)", examples: ['prac-h1-0001'] })),
      },
      { additionalProperties: false, description: 'Identifiers the certificate carries' },
    ),
    authentication: StringEnum(['bearer', 'api-key'], { description: 'How this request was authenticated', examples: ['bearer'] }),
    signing: StringEnum(['gateway', 'offline'], {
      description: '`gateway`: the gateway signs as this identity; `offline`: the key stays with the caller, who uses the /offline routes',
      examples: ['gateway'],
    }),
    operations: Type.Array(AllowedOperation, { description: "The catalogue's routes whose caller gate admits this caller (a call may still be refused on the data; see each rule)" }),
  },
  { additionalProperties: false },
);
export type Me = Static<typeof Me>;

/** What `GET /me` answers for `user`, authenticated by `authentication`. */
export function describeCaller(user: FabricUser, authentication: Me['authentication'], routes: readonly Route[] = CONTRACT_ROUTE_TABLE): Me {
  const attrs = certificateAttributes(user.certPem);
  const kind = ORGANIZATION_KINDS[user.mspId];
  const operations = routes
    .filter((route) => gateRefusal(route.tx.callers, { role: user.role, orgKind: kind }) === undefined)
    .map((route) => ({
      method: route.method,
      path: openApiPath(route.url),
      operationId: operationIdOf(route),
      transaction: route.tx.qualifiedName,
      rule: route.tx.callers.rule,
    }));
  return {
    user: user.name,
    organisation: { mspId: user.mspId, ...(kind ? { kind } : {}) },
    role: user.role,
    ids: {
      ...(attrs['patient_id'] ? { patientRef: attrs['patient_id'] } : {}),
      ...(attrs['practitioner_id'] ? { practitionerId: attrs['practitioner_id'] } : {}),
    },
    authentication,
    signing: user.privateKey ? 'gateway' : 'offline',
    operations,
  };
}

/** The `/me` route group (authenticated context). */
export const meRoutes: RouteModule = (app) => {
  app.get(
    '/me',
    {
      schema: {
        tags: ['identity'],
        operationId: 'me',
        summary: 'Who the caller is (organisation, role, ids such as the patient reference) and the operations it may call',
        response: { 200: Me },
      },
    },
    async (request) => {
      await Promise.resolve();
      const { user, method } = principalOf(request);
      return describeCaller(user, method);
    },
  );
};
