/**
 * `GET /ops/network`: the channel as each organisation's peer sees it — its height and head block
 * hash from qscc `GetChainInfo`, evaluated on a peer of that organisation (the Gateway API's target
 * organisations) — the chaincode's committed definition (`_lifecycle` QueryChaincodeDefinition)
 * and the ordering service as the last config block describes it (cscc `GetConfigBlock`), for
 * operators and auditors. A peer that is behind shows a lower height; one the gateway cannot reach
 * is reported as such, with the gRPC status name only. Orderers are not probed: the gateway has no
 * connection of its own to them (docs/design/console.md).
 */
import { ORGANIZATION_KINDS } from '@healthledger/contract-api';
import { common } from '@hyperledger/fabric-protos';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { definitionView, ordererView } from '../ops/channel-view';
import { NetworkStatus } from './network-status-schema';

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

/** `{ [key]: value }`, or `{ [key + 'Problem']: gRPC status }` when the query fails. */
type Settled<K extends string, T> = Partial<Record<K, T> & Record<`${K}Problem`, string>>;
async function settled<K extends string, T>(key: K, read: () => Promise<T>): Promise<Settled<K, T>> {
  try {
    return { [key]: await read() } as Settled<K, T>;
  } catch (err) {
    return { [`${key}Problem`]: problemOf(err) } as Settled<K, T>;
  }
}

export const networkStatusRoutes: RouteModule = (app, { ledger }) => {
  app.get(
    '/ops/network',
    {
      schema: {
        tags: ['operations'],
        summary: "Each organisation's peer (height, head hash), the chaincode's committed definition and the ordering service",
        response: { 200: NetworkStatus },
      },
    },
    async (request) => {
      const user = requireRole(request, ['admin', 'auditor']);
      const [organisations, definition, orderer] = await Promise.all([
        Promise.all(Object.keys(ORGANIZATION_KINDS).sort().map((mspId) => organisationStatus(ledger, user, mspId))),
        settled('definition', async () => definitionView(ledger.chaincode, await ledger.system(user, { chaincode: '_lifecycle', fn: 'QueryChaincodeDefinition', chaincodeName: ledger.chaincode }))),
        settled('orderer', async () => ordererView(await ledger.system(user, { chaincode: 'cscc', fn: 'GetConfigBlock' }))),
      ]);
      return { channel: ledger.channel, chaincode: ledger.chaincode, organisations, ...definition, ...orderer };
    },
  );
};
