/**
 * `GET /ops/network`: the channel as each organisation's peer sees it — its height and head block
 * hash from qscc `GetChainInfo`, evaluated on a peer of that organisation (the Gateway API's target
 * organisations) — for operators and auditors. A peer that is behind shows a lower height; one the
 * gateway cannot reach is reported as such, with the gRPC status name only.
 */
import { ORGANIZATION_KINDS, StringEnum } from '@healthledger/contract-api';
import { common } from '@hyperledger/fabric-protos';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { Decimal, Hex } from './ledger';

/** The organisation kinds of the consortium (from its generated table, so a new kind needs no edit here). */
const CONSORTIUM_KINDS = [...new Set(Object.values(ORGANIZATION_KINDS))].sort();

const Organisation = Type.Object(
  {
    mspId: Type.String({ description: "The organisation's MSP id", examples: ['Hospital1MSP'] }),
    kind: Type.Optional(StringEnum(CONSORTIUM_KINDS, { description: 'What kind of organisation it is in the consortium (absent for one the table does not name)', examples: ['provider'] })),
    reachable: Type.Boolean({ description: "Whether a peer of the organisation answered", examples: [true] }),
    height: Type.Optional(Decimal("The peer's chain height", '42')),
    currentBlockHash: Type.Optional(Hex("The peer's head block header hash")),
    problem: Type.Optional(Type.String({ description: 'Why no peer answered (gRPC status name)', examples: ['UNAVAILABLE'] })),
  },
  { additionalProperties: false },
);
const NetworkStatus = Type.Object(
  {
    channel: Type.String({ description: 'The channel the gateway serves', examples: ['healthchannel'] }),
    chaincode: Type.String({ description: 'The chaincode name the gateway calls on it', examples: ['healthledger'] }),
    organisations: Type.Array(Organisation, { description: 'Every organisation of the consortium, as its own peer reports the chain' }),
  },
  { additionalProperties: false, description: 'The channel seen from each organisation' },
);

/** The gRPC status name of a failed call, or a generic reason (never the message: it may be long or name hosts). */
function problemOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const names: Record<number, string> = { 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 2: 'UNKNOWN', 10: 'ABORTED' };
  return typeof code === 'number' ? (names[code] ?? `GRPC_${code}`) : 'ERROR';
}

async function organisationStatus(ledger: Ledger, user: FabricUser, mspId: string) {
  const kind = ORGANIZATION_KINDS[mspId];
  try {
    const info = common.BlockchainInfo.deserializeBinary(await ledger.qscc(user, 'GetChainInfo', undefined, mspId));
    return { mspId, ...(kind ? { kind } : {}), reachable: true, height: String(info.getHeight()), currentBlockHash: Buffer.from(info.getCurrentblockhash_asU8()).toString('hex') };
  } catch (err) {
    return { mspId, ...(kind ? { kind } : {}), reachable: false, problem: problemOf(err) };
  }
}

export const networkStatusRoutes: RouteModule = (app, { ledger }) => {
  app.get(
    '/ops/network',
    { schema: { tags: ['operations'], summary: "Each organisation's peer: chain height and head block hash", response: { 200: NetworkStatus } } },
    async (request) => {
      const user = requireRole(request, ['admin', 'auditor']);
      const organisations = await Promise.all(Object.keys(ORGANIZATION_KINDS).sort().map((mspId) => organisationStatus(ledger, user, mspId)));
      return { channel: ledger.channel, chaincode: ledger.chaincode, organisations };
    },
  );
};
