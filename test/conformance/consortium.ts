/**
 * The conformance topology, shaped like the Fabric test network of fabric-observed.md: Org1MSP
 * and Org2MSP with one peer each, chaincode `probe` whose endorsement policy is the channel
 * default (`/Channel/Application/Endorsement`, both orgs). Relative imports only: the kill -9
 * child process loads this file without jest's module mapping.
 */
import os from 'node:os';
import path from 'node:path';
import { parseConsortium, type Consortium } from '../../network/consortium';

export const CHANNEL = 'mychannel';
export const CHAINCODE = 'probe';

const TEST_CONSORTIUM_YAML = `
channel: ${CHANNEL}
chaincode:
  name: ${CHAINCODE}
  version: "1.0"
  sequence: 1
  endorsementPolicy: "AND('Org1MSP.peer', 'Org2MSP.peer')"
  address: 127.0.0.1:9999
orderer: { mspId: OrdererMSP, domain: example.com, port: 7050, batchTimeoutMs: 100, maxMessageCount: 10 }
collections: []
organizations:
  - mspId: Org1MSP
    name: Org 1
    kind: provider
    domain: org1.example.com
    peers: [{ name: peer0, port: 7051 }]
    users: [{ name: user1, role: auditor }, { name: user2, role: billing }]
  - mspId: Org2MSP
    name: Org 2
    kind: payer
    domain: org2.example.com
    peers: [{ name: peer0, port: 9051 }]
    users: [{ name: user1, role: adjudicator }]
`;

export function testConsortium(): Consortium {
  return parseConsortium(TEST_CONSORTIUM_YAML, 'conformance');
}

/** Material is generated once per machine and reused (generateMaterial is idempotent). */
export const MATERIAL_DIR = path.join(os.tmpdir(), 'healthledger-conformance');
