/**
 * The answer of `GET /ops/network`: each organisation's peer, the committed chaincode definition
 * and the ordering service as the channel config describes it.
 */
import { ORGANIZATION_KINDS, StringEnum } from '@healthledger/contract-api';
import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Hex } from './ledger';

/** The organisation kinds of the consortium (from its generated table, so a new kind needs no edit here). */
const CONSORTIUM_KINDS = [...new Set(Object.values(ORGANIZATION_KINDS))].sort();

const Problem = Type.String({ description: 'Why the query failed (gRPC status name)', examples: ['UNAVAILABLE'] });

const Organisation = Type.Object(
  {
    mspId: Type.String({ description: "The organisation's MSP id", examples: ['Hospital1MSP'] }),
    kind: Type.Optional(StringEnum(CONSORTIUM_KINDS, { description: 'What kind of organisation it is in the consortium (absent for one the table does not name)', examples: ['provider'] })),
    reachable: Type.Boolean({ description: 'Whether a peer of the organisation answered', examples: [true] }),
    height: Type.Optional(Decimal("The peer's chain height", '42')),
    currentBlockHash: Type.Optional(Hex("The peer's head block header hash")),
    problem: Type.Optional({ ...Problem, description: 'Why no peer answered (gRPC status name)' }),
  },
  { additionalProperties: false },
);

const Policy = (description: string, example: string) => Type.String({ description: `${description}: a signature policy in Fabric's policy language, or a channel policy path`, examples: [example] });

const Collection = Type.Object(
  {
    name: Type.String({ description: 'Collection name', examples: ['records'] }),
    memberOrgs: Type.Array(Type.String(), { description: 'Organisations its member policy names (their peers keep the data)', examples: [['Hospital1MSP', 'Hospital2MSP']] }),
    memberPolicy: Policy('Member policy', "OR('Hospital1MSP.member', 'Hospital2MSP.member')"),
    requiredPeerCount: Type.Integer({ description: 'Peers the endorser must disseminate to', examples: [0] }),
    maxPeerCount: Type.Integer({ description: 'Peers the endorser disseminates to at most', examples: [1] }),
    blockToLive: Decimal('Blocks the private data is kept for (0: forever)', '0'),
    memberOnlyRead: Type.Boolean({ description: 'Only members may read', examples: [true] }),
    memberOnlyWrite: Type.Boolean({ description: 'Only members may write', examples: [true] }),
    endorsementPolicy: Type.Optional(Policy("The collection's own endorsement policy", "OR('Hospital1MSP.peer')")),
  },
  { additionalProperties: false },
);

const Definition = Type.Object(
  {
    name: Type.String({ description: 'Chaincode name', examples: ['healthledger'] }),
    version: Type.String({ description: 'Version of the committed definition', examples: ['1.0'] }),
    sequence: Decimal('Sequence of the committed definition (one more per upgrade)', '1'),
    endorsementPlugin: Type.String({ description: 'Endorsement plugin', examples: ['escc'] }),
    validationPlugin: Type.String({ description: 'Validation plugin', examples: ['vscc'] }),
    endorsementPolicy: Policy('Chaincode endorsement policy', "OutOf(2, 'Hospital1MSP.peer', 'Hospital2MSP.peer', 'InsurerMSP.peer')"),
    initRequired: Type.Boolean({ description: 'Whether the chaincode must be initialised first', examples: [false] }),
    collections: Type.Array(Collection, { description: 'Explicit private data collections (the implicit per-organisation ones are not part of a definition)' }),
    approvals: Type.Array(
      Type.Object(
        {
          mspId: Type.String({ description: 'Organisation', examples: ['Hospital1MSP'] }),
          approved: Type.Boolean({ description: 'Whether its approval of this definition is on the ledger', examples: [true] }),
        },
        { additionalProperties: false },
      ),
      { description: "The channel organisations' approvals of this definition" },
    ),
  },
  { additionalProperties: false, description: "The chaincode's committed definition, from `_lifecycle` QueryChaincodeDefinition" },
);

const Orderer = Type.Object(
  {
    configBlock: Decimal('Number of the config block read', '0'),
    configSequence: Decimal('Sequence of the channel config (one more per config update)', '0'),
    consensusType: Type.String({ description: 'Consensus type', examples: ['etcdraft'] }),
    consenters: Type.Array(Type.String(), { description: '`host:port` of each consenter', examples: [['orderer1.healthledger.test:7050']] }),
    organisations: Type.Array(
      Type.Object(
        {
          mspId: Type.String({ description: 'Orderer organisation', examples: ['OrdererMSP'] }),
          endpoints: Type.Array(Type.String(), { description: 'Endpoints clients broadcast to and deliver from', examples: [['orderer1.healthledger.test:7050']] }),
        },
        { additionalProperties: false },
      ),
      { description: 'Orderer organisations and their endpoints' },
    ),
    globalEndpoints: Type.Array(Type.String(), { description: 'Channel-level orderer addresses (legacy)', examples: [['orderer1.healthledger.test:7050']] }),
    batchSize: Type.Object(
      {
        maxMessageCount: Type.Integer({ description: 'Transactions a block holds at most', examples: [10] }),
        absoluteMaxBytes: Type.Integer({ description: 'Bytes a block holds at most', examples: [103809024] }),
        preferredMaxBytes: Type.Integer({ description: 'Preferred block size in bytes', examples: [524288] }),
      },
      { additionalProperties: false, description: 'When the orderer cuts a block' },
    ),
    batchTimeout: Type.String({ description: 'Time a block waits for more transactions', examples: ['2s'] }),
  },
  { additionalProperties: false, description: 'The ordering service as the last config block describes it (cscc GetConfigBlock)' },
);

export const NetworkStatus: TSchema = Type.Object(
  {
    channel: Type.String({ description: 'The channel the gateway serves', examples: ['healthchannel'] }),
    chaincode: Type.String({ description: 'The chaincode name the gateway calls on it', examples: ['healthledger'] }),
    organisations: Type.Array(Organisation, { description: 'Every organisation of the consortium, as its own peer reports the chain' }),
    definition: Type.Optional(Definition),
    definitionProblem: Type.Optional({ ...Problem, description: 'Why the definition could not be read (gRPC status name)' }),
    orderer: Type.Optional(Orderer),
    ordererProblem: Type.Optional({ ...Problem, description: 'Why the config block could not be read (gRPC status name)' }),
  },
  { additionalProperties: false, description: 'The channel seen from each organisation, its chaincode definition and its ordering service' },
);
