/**
 * Liveness and readiness. Ready means a ledger round trip (qscc GetChainInfo, as a real
 * identity) answered within the readiness deadline — i.e. requests will succeed now.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { common } from '@hyperledger/fabric-protos';
import { HttpProblem } from '../../errors/problem';
import type { Ledger } from '../../fabric/ledger';
import type { FabricUser } from '../../fabric/wallet';

export interface HealthDeps {
  ledger: Ledger;
  /** The identity that probes the ledger (any channel member). */
  probeUser: FabricUser;
  readyMs: number;
}

const Live = Type.Object({ status: Type.Literal('ok', { description: 'The process serves requests' }) }, { additionalProperties: false, description: 'Alive', examples: [{ status: 'ok' }] });
const Ready = Type.Object(
  {
    status: Type.Literal('ready', { description: 'The ledger answered the probe' }),
    height: Type.String({ description: "The channel's block height, as a decimal string", examples: ['42'] }),
  },
  { additionalProperties: false, description: 'Ready: the ledger answers' },
);

/** `/health/live` and `/health/ready`: a plugin of the public context. */
export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const schema = (summary: string, response: object) => ({ tags: ['operations'], summary, response: { 200: response } });
  app.get('/health/live', { schema: schema('Liveness: the process serves requests (no ledger call)', Live) }, (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/health/ready', { schema: schema('Readiness: the ledger answers a chain-info query in time (503 LEDGER_UNAVAILABLE otherwise)', Ready) }, async () => {
    const height = await withDeadline(deps.ledger.qscc(deps.probeUser, 'GetChainInfo'), deps.readyMs);
    return { status: 'ready' as const, height: common.BlockchainInfo.deserializeBinary(height).getHeight().toString() };
  });
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HttpProblem('LEDGER_UNAVAILABLE', 'The ledger did not answer in time', { 'retry-after': '1' })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    throw new HttpProblem('LEDGER_UNAVAILABLE', 'The ledger is not reachable', { 'retry-after': '1' });
  } finally {
    clearTimeout(timer);
  }
}
