/** One simulated peer of the assembled devnet: identity, endpoint and its own chaincode streams. */
import { ChaincodeConnection, ChaincodeLaunchError } from '../chaincode';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';
import type { ChaincodeRegistry } from '../definitions';
import type { PeerMetrics, PeerRuntime } from './types';

/** A peer as `Devnet` builds it; chaincode connections are opened lazily, one per chaincode. */
export class SimulatedPeer implements PeerRuntime {
  private readonly connections = new Map<string, ChaincodeConnection>();
  readonly metrics: PeerMetrics = { proposalsReceived: 0 };

  constructor(
    readonly mspId: string,
    readonly name: string,
    readonly host: string,
    readonly endpoint: string,
    readonly identity: SigningIdentity,
    private readonly chaincodes: Pick<ChaincodeRegistry, 'get'>,
  ) {}

  chaincode(name: string): ChaincodeConnection {
    let connection = this.connections.get(name);
    if (!connection) {
      const def = this.chaincodes.get(name);
      if (!def) throw new ChaincodeLaunchError(`chaincode ${name} is not defined`);
      connection = new ChaincodeConnection({ address: def.address, packageId: def.packageId });
      this.connections.set(name, connection);
    }
    return connection;
  }

  /** Closes every chaincode stream of this peer. */
  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }
}
