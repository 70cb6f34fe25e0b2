'use strict';
/** A benchmark's direct @hyperledger/fabric-gateway client, as a user of the devnet or of a real network (scripts/lib/target.js). */
const { createPrivateKey } = require('node:crypto');
const { readFileSync } = require('node:fs');

const grpc = require('@grpc/grpc-js');
const { connect, hash } = require('@hyperledger/fabric-gateway');
const { signLowSAsync } = require('@healthledger/fabric-core');

/** @typedef {import('@healthledger/network/devnet').DevnetDescriptor} DevnetDescriptor */
/** @typedef {import('@healthledger/network/devnet').DevnetOrg} DevnetOrg */
/** @typedef {import('@healthledger/network/devnet').DevnetUser} DevnetUser */
/** @typedef {{ mspId: string, user: string }} UserRef  a demo user: organisation and user name */

/** Generous: the machine is shared, and a slow figure is still a figure. */
const CALL_DEADLINE_MS = 300_000;

/**
 * The devnet.json entry of a demo user.
 * @param {DevnetDescriptor} descriptor
 * @param {string} mspId
 * @param {string} name
 * @returns {{ org: DevnetOrg, user: DevnetUser }}
 */
function descriptorUser(descriptor, mspId, name) {
  const org = descriptor.orgs.find((o) => o.mspId === mspId);
  const user = org?.users.find((u) => u.name === name);
  if (!org || !user) throw new Error(`devnet.json has no user ${name} in ${mspId}`);
  return { org, user };
}

/**
 * fabric-gateway options that sign with node:crypto (SHA-256, DER, low-S), in libuv's thread pool
 * as the gateway signs (gateway/src/fabric/connection.ts).
 * @param {import('node:crypto').KeyObject} privateKey
 * @returns {{ hash: import('@hyperledger/fabric-gateway').Hash, signer: import('@hyperledger/fabric-gateway').Signer }}
 */
function nativeSigning(privateKey) {
  return { hash: hash.none, signer: (message) => signLowSAsync(privateKey, message) };
}

/**
 * A fabric-gateway connection as a demo user, over its organisation's gateway peer.
 * @param {DevnetDescriptor} descriptor
 * @param {UserRef} who
 */
function connectAs(descriptor, { mspId, user: name }) {
  const { org, user } = descriptorUser(descriptor, mspId, name);
  /** @type {import('@grpc/grpc-js').ClientOptions} */
  const options = {
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
    'grpc.max_send_message_length': 100 * 1024 * 1024,
  };
  if (org.hostOverride) options['grpc.ssl_target_name_override'] = org.hostOverride;
  // A real network (or a TLS devnet) names its peers' TLS CA: a PEM text or a file.
  const tlsCa = org.tlsCaCert && (org.tlsCaCert.includes('-----BEGIN') ? Buffer.from(org.tlsCaCert) : readFileSync(org.tlsCaCert));
  const client = new grpc.Client(org.peerEndpoint, tlsCa ? grpc.credentials.createSsl(tlsCa) : grpc.credentials.createInsecure(), options);
  const deadline = () => ({ deadline: Date.now() + CALL_DEADLINE_MS });
  const gateway = connect({
    client,
    identity: { mspId, credentials: readFileSync(user.cert) },
    // Native low-S signing, as the REST gateway signs (gateway/src/fabric/connection.ts), so that
    // REST and direct calls are compared with the same signer.
    ...nativeSigning(createPrivateKey(readFileSync(user.key))),
    evaluateOptions: deadline,
    endorseOptions: deadline,
    submitOptions: deadline,
    commitStatusOptions: deadline,
  });
  const contract = gateway.getNetwork(descriptor.channel).getContract(descriptor.chaincode);
  return { gateway, contract, close: () => (gateway.close(), client.close()) };
}

/**
 * Runs `first` until the chaincode server it needs listens: on a busy machine it may still be
 * starting when the network is ready (the peer then answers "could not launch chaincode").
 * @param {() => Promise<void>} first
 */
async function untilChaincodeServes(first) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await first();
    } catch (err) {
      if (attempt >= 60 || !JSON.stringify(err, Object.getOwnPropertyNames(err)).includes('could not launch chaincode')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

module.exports = { connectAs, untilChaincodeServes };
