/** Choosing the loopback port a spawned chaincode server listens on. */
import { createServer } from 'node:net';

/**
 * Ports for chaincode servers are drawn below Linux's default ephemeral range (32768–60999): the
 * server binds a while after the port is chosen (it is a process of its own), and a port from the
 * ephemeral range could meanwhile be handed to another listener asking for port 0 — a devnet
 * peer in a parallel test, whose gRPC server then answers the chaincode stream UNIMPLEMENTED.
 */
const CHAINCODE_PORTS = { first: 20000, count: 12000 };

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback `host:port` for a chaincode server, outside the ephemeral port range. */
export async function freeLoopbackAddress(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = CHAINCODE_PORTS.first + Math.floor(Math.random() * CHAINCODE_PORTS.count);
    if (await tryBind(port)) return `127.0.0.1:${port}`;
  }
  throw new Error(`no free port for a chaincode server in ${CHAINCODE_PORTS.first}–${CHAINCODE_PORTS.first + CHAINCODE_PORTS.count - 1}`);
}
