/** One simulated peer of the assembled devnet: identity, endpoint and its own chaincode streams. */
import { ChaincodeConnection, ChaincodeLaunchError } from '../chaincode';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';
import type { ChaincodeRegistry } from '../definitions';

/** One simulated Fabric peer: an org member with its own endpoint and chaincode streams. */
export interface PeerRuntime {
  readonly mspId: string;
  /** Short name, e.g. `peer0`. */
  readonly name: string;
  /** Host name from the crypto material, e.g. `peer0.hospital1.example.com`. */
  readonly host: string;
  /** Advertised `host:port` (what ErrorDetail.address carries). */
  readonly endpoint: string;
  /** The peer's signing identity (endorsements). */
  readonly identity: SigningIdentity;
  /** This peer's own connection to a chaincode server (one stream per peer, as Fabric peers have). */
  chaincode(name: string): ChaincodeConnection;
  /** Counters as a Fabric peer exports them on its operations endpoint. */
  readonly metrics: PeerMetrics;
}

/** What Fabric's peer counts as `endorser_proposals_received`, for tests that prove where proposals went. */
export interface PeerMetrics {
  /** Every proposal this peer's endorser received. */
  proposalsReceived: number;
}

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
