import type { ORG_KINDS, ROLES } from './schema';

/** What an organisation is in the consortium; the chaincode authorises by it. */
export type OrgKind = (typeof ORG_KINDS)[number];
/** A user's role, carried in its certificate as the Fabric CA attribute `role`. */
export type Role = (typeof ROLES)[number];

export interface PeerDefinition {
  name: string;
  port: number;
}

export interface UserDefinition {
  name: string;
  role: Role;
  /** Pseudonymous patient reference (certificate attribute `patient_id`). */
  patientId?: string;
  /** Practitioner id (certificate attribute `practitioner_id`). */
  practitionerId?: string;
}

export interface OrganizationDefinition {
  mspId: string;
  name: string;
  kind: OrgKind;
  domain: string;
  peers: PeerDefinition[];
  users: UserDefinition[];
}

export interface CollectionDefinition {
  name: string;
  memberOrgs: string[];
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  /** Fabric policy DSL; absent = the chaincode's endorsement policy applies. */
  endorsementPolicy?: string;
}

export interface ChaincodeDefinition {
  name: string;
  version: string;
  sequence: number;
  /** Fabric policy DSL, e.g. `OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer')`. */
  endorsementPolicy: string;
  /** host:port where the chaincode-as-a-service server listens. */
  address: string;
}

export interface OrdererDefinition {
  mspId: string;
  domain: string;
  port: number;
  batchTimeoutMs: number;
  maxMessageCount: number;
}

/** The validated consortium definition, with defaults filled in. */
export interface Consortium {
  channel: string;
  chaincode: ChaincodeDefinition;
  orderer: OrdererDefinition;
  collections: CollectionDefinition[];
  organizations: OrganizationDefinition[];
}
