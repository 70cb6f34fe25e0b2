'use strict';
/**
 * The two-organisation probe consortium the devnet benchmarks run on (bench-devnet,
 * bench-ledger-growth, bench-verify): the probe chaincode as a chaincode service, endorsed by
 * either organisation's peer. Only the orderer's batch size differs between them.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

const CHANNEL = 'benchchannel';
const CHAINCODE = 'probe';
const POLICY = "OR('Org1MSP.peer', 'Org2MSP.peer')";
const PROBE_DIR = path.join(root, 'network', 'devnet', 'test', 'fixtures', 'probe-chaincode');
const SHIM_CLI = path.join(root, 'node_modules', 'fabric-shim', 'cli.js');

/**
 * The consortium YAML, with the orderer cutting a block at `maxMessageCount` transactions.
 * @param {number} maxMessageCount
 * @returns {string}
 */
function probeConsortium(maxMessageCount) {
  return `
channel: ${CHANNEL}
chaincode: { name: ${CHAINCODE}, version: "1.0", sequence: 1, endorsementPolicy: "${POLICY}", address: 127.0.0.1:9999 }
orderer: { mspId: OrdererMSP, domain: example.com, port: 7050, batchTimeoutMs: 100, maxMessageCount: ${maxMessageCount} }
collections: []
organizations:
  - { mspId: Org1MSP, name: Org 1, kind: provider, domain: org1.example.com, peers: [{ name: peer0, port: 7051 }], users: [{ name: user1, role: auditor }] }
  - { mspId: Org2MSP, name: Org 2, kind: payer, domain: org2.example.com, peers: [{ name: peer0, port: 9051 }], users: [{ name: user1, role: auditor }] }
`;
}

module.exports = { CHANNEL, CHAINCODE, POLICY, PROBE_DIR, SHIM_CLI, probeConsortium };
