import type { SigningIdentity } from './signing-identity';

/** Everything the devnet (and a real Fabric network) needs from the crypto material tree. */
export interface Material {
  /** The `organizations` directory: `peerOrganizations/`, `ordererOrganizations/`. */
  rootDir: string;
  orderer: OrdererMaterial;
  orgs: OrgMaterial[];
}

/** One application organisation: its CAs, its MSP directory, admin, peers and users. */
export interface OrgMaterial {
  mspId: string;
  domain: string;
  kind: string;
  /** `<root>/peerOrganizations/<domain>` */
  orgDir: string;
  caCertPem: string;
  caCertPath: string;
  tlsCaCertPem: string;
  tlsCaCertPath: string;
  /** The org MSP directory (`cacerts`, `tlscacerts`, `config.yaml`), as configtxgen reads it. */
  mspDir: string;
  /** `Admin@<domain>`, NodeOU `admin`. */
  admin: SigningIdentity;
  adminMspDir: string;
  peers: PeerMaterial[];
  users: UserMaterial[];
}

/** A peer: enrollment identity (NodeOU `peer`) and TLS server certificate. */
export interface PeerMaterial {
  /** `peer0` */
  name: string;
  /** `peer0.hospital1.example.com` */
  host: string;
  port: number;
  identity: SigningIdentity;
  /** `peers/<host>/msp`, a peer's local MSP (`CORE_PEER_MSPCONFIGPATH`). */
  mspDir: string;
  tlsCertPem: string;
  tlsKeyPem: string;
  /** `peers/<host>/tls/{server.crt,server.key,ca.crt}` */
  tlsCertPath: string;
  tlsKeyPath: string;
  tlsCaCertPath: string;
}

/** A consortium user: NodeOU `client`, CN `<name>@<domain>`, Fabric CA attributes. */
export interface UserMaterial {
  name: string;
  role: string;
  /** Every attribute in the certificate (`hf.*`, `role`, `patient_id`, `practitioner_id`). */
  attrs: Record<string, string>;
  mspDir: string;
  /** `msp/signcerts/cert.pem` */
  certPath: string;
  /** `msp/keystore/priv_sk` (PKCS#8 PEM) */
  keyPath: string;
  identity: SigningIdentity;
}

/** The ordering service's organisation and its one orderer node. */
export interface OrdererMaterial {
  mspId: string;
  domain: string;
  /** `orderer.<domain>` */
  host: string;
  port: number;
  orgDir: string;
  mspDir: string;
  caCertPem: string;
  tlsCaCertPem: string;
  tlsCaCertPath: string;
  /** The orderer node's identity (NodeOU `orderer`). */
  identity: SigningIdentity;
  /** `orderers/<host>/msp` */
  nodeMspDir: string;
  admin: SigningIdentity;
  tlsCertPem: string;
  tlsKeyPem: string;
  tlsCertPath: string;
  tlsKeyPath: string;
}

/**
 * What {@link generateMaterial} issues material for: the ordering organisation and the application
 * organisations with their peers and users. A consortium definition has this shape.
 */
export interface MaterialSpec {
  orderer: OrdererSpec;
  organizations: readonly OrganizationSpec[];
}

/** The ordering organisation: MSP id, domain, and the port of its one orderer node. */
export interface OrdererSpec {
  mspId: string;
  domain: string;
  port: number;
}

/** An application organisation. `kind` is carried into {@link OrgMaterial} unchanged. */
export interface OrganizationSpec {
  mspId: string;
  kind: string;
  domain: string;
  peers: readonly PeerSpec[];
  users: readonly UserSpec[];
}

/** A peer: name (`peer0`) and listening port. */
export interface PeerSpec {
  name: string;
  port: number;
}

/**
 * A user: its certificate carries the attribute `role`, and `patient_id` / `practitioner_id`
 * when given.
 */
export interface UserSpec {
  name: string;
  role: string;
  patientId?: string;
  practitionerId?: string;
}

/** Options of {@link generateMaterial}. */
export interface MaterialOptions {
  /** Peers per organisation (default: the peers the consortium lists; extra ones are `peer1`, …). */
  peersPerOrg?: number;
  /**
   * Further orderer nodes of the ordering organisation by host name (e.g. `orderer2.example.com`),
   * each issued an enrollment (NodeOU `orderer`) and a TLS certificate beside `orderer.<domain>`:
   * a real Fabric Raft cluster needs one identity per node. Not part of the returned material.
   */
  extraOrdererHosts?: string[];
  /**
   * Further IP addresses for the TLS certificate of a node, by host name: nodes on several hosts
   * are dialled at their IP address, and TLS checks the address against the certificate.
   */
  tlsIpAddresses?: Readonly<Record<string, readonly string[]>>;
  /** Receives one human-readable line per piece of material issued. */
  onProgress?: (line: string) => void;
}
