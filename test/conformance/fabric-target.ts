/**
 * The Fabric target of the conformance suite: a real Fabric 2.5 network that
 * scripts/test-conformance-fabric.js brought up with scripts/network.sh for consortium.yaml, with
 * the probe chaincode deployed as a chaincode service. Everything comes from the files `up`
 * generated in the work directory (HEALTHLEDGER_FABRIC_DIR): `gateway/<MSP>.env` (peer endpoint,
 * TLS CA, host override, identity directory), `network.env` (orderer, operations endpoints) and
 * `pids/` (the orderer's process, for pausing it).
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Commit, type Transaction } from '@hyperledger/fabric-gateway';
import { common, gateway as gw, orderer } from '@hyperledger/fabric-protos';
import { commitStatusRequest } from './commit-request';
import { CHAINCODE, CHANNEL } from './consortium';
import type { PeerAccess, TargetBackend, UserCredentials } from './harness';

/** The work directory scripts/network.sh used (same default as the script). */
function workDir(): string {
  return process.env.HEALTHLEDGER_FABRIC_DIR ?? path.resolve(__dirname, '../../network/fabric/work');
}

/** `KEY=value` lines of a gateway env file. */
function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) env.set(match[1], match[2] ?? '');
  }
  return env;
}

/** Words of a bash value as network.env writes them: single-quoted, `'\''` for a quote. */
function shellWords(value: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "'") {
      const end = value.indexOf("'", i + 1);
      word += value.slice(i + 1, end < 0 ? value.length : end);
      i = end < 0 ? value.length : end;
      inWord = true;
    } else if (c === '\\') {
      word += value[i + 1] ?? '';
      i++;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** network.env's variables: scalars as one word, arrays (`NAME=(…)`) as their elements. */
function parseShellEnv(text: string): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const value = match[2] ?? '';
    vars.set(match[1], value.startsWith('(') && value.endsWith(')') ? shellWords(value.slice(1, -1)) : shellWords(value));
  }
  return vars;
}

/** A value of network.env, or an error naming the file (a format change must not go unnoticed). */
function required(vars: Map<string, string[]>, name: string, file: string): string[] {
  const value = vars.get(name);
  if (!value || value.length === 0) throw new Error(`${file} has no ${name}`);
  return value;
}

/** The first file of a directory (an MSP's signcerts/ or keystore/). */
function onlyFile(dir: string): string {
  const file = existsSync(dir) ? readdirSync(dir).sort()[0] : undefined;
  if (!file) throw new Error(`no file in ${dir}`);
  return path.join(dir, file);
}

async function retrying<T>(what: string, attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function connectFabricTarget(): Promise<TargetBackend> {
  const dir = workDir();
  const networkEnvFile = path.join(dir, 'network.env');
  if (!existsSync(networkEnvFile)) {
    throw new Error(`No Fabric network in ${dir} (no network.env): the Fabric target runs under scripts/test-conformance-fabric.js, which brings one up.`);
  }
  const vars = parseShellEnv(readFileSync(networkEnvFile, 'utf8'));
  const [channel] = required(vars, 'CHANNEL', networkEnvFile);
  const [chaincode] = required(vars, 'CC_NAME', networkEnvFile);
  if (channel !== CHANNEL || chaincode !== CHAINCODE) {
    throw new Error(`The network in ${dir} runs ${chaincode ?? '?'} on ${channel ?? '?'}, not the conformance consortium (${CHAINCODE} on ${CHANNEL}).`);
  }
  const [ordererAddress = ''] = required(vars, 'ORDERER_ADDRESS', networkEnvFile);
  const [ordererHost = ''] = required(vars, 'ORDERER_HOST', networkEnvFile);
  const [ordererTlsCa = ''] = required(vars, 'ORDERER_TLS_CA', networkEnvFile);
  const peerMspIds = required(vars, 'PEER_MSPIDS', networkEnvFile);
  const peerOperations = required(vars, 'PEER_OPERATIONS', networkEnvFile);
  const ordererPidFile = path.join(dir, 'pids', `${ordererHost}.pid`);

  const gatewayEnv = new Map<string, Map<string, string>>();
  const envOf = (mspId: string): Map<string, string> => {
    let env = gatewayEnv.get(mspId);
    if (!env) {
      env = parseEnvFile(readFileSync(path.join(dir, 'gateway', `${mspId}.env`), 'utf8'));
      gatewayEnv.set(mspId, env);
    }
    return env;
  };
  const setting = (mspId: string, name: string): string => {
    const value = envOf(mspId).get(name);
    if (!value) throw new Error(`${path.join(dir, 'gateway', `${mspId}.env`)} has no ${name}`);
    return value;
  };

  const peer = (mspId: string): PeerAccess => {
    const endpoint = setting(mspId, 'FABRIC_PEER_ENDPOINT');
    // A Fabric peer names itself by its peer.address, which network.sh makes the endpoint clients dial.
    return { mspId, endpoint, address: endpoint, tls: { caCertFile: setting(mspId, 'FABRIC_TLS_CA_CERT'), hostOverride: setting(mspId, 'FABRIC_HOST_OVERRIDE') } };
  };
  const user = (mspId: string, name: string): UserCredentials => {
    const identityDir = setting(mspId, 'FABRIC_IDENTITY_DIR');
    const entry = readdirSync(identityDir).find((e) => e.startsWith(`${name}@`));
    if (!entry) throw new Error(`no user ${name} in ${identityDir}`);
    const mspDir = path.join(identityDir, entry, 'msp');
    return { mspId, certPem: readFileSync(onlyFile(path.join(mspDir, 'signcerts'))), keyPem: readFileSync(onlyFile(path.join(mspDir, 'keystore'))) };
  };

  // The peer's operations endpoint (plain HTTP, Prometheus text), the counter Fabric's endorser keeps.
  const proposalsReceived = async (mspId: string): Promise<number> => {
    const index = peerMspIds.indexOf(mspId);
    const operations = peerOperations[index];
    if (index < 0 || !operations) throw new Error(`no operations endpoint for ${mspId} in ${networkEnvFile}`);
    const response = await fetch(`http://${operations}/metrics`);
    if (!response.ok) throw new Error(`GET http://${operations}/metrics: ${response.status}`);
    let total = 0;
    let found = false;
    for (const line of (await response.text()).split('\n')) {
      const match = /^endorser_proposals_received(?:\{[^}]*\})? (\S+)$/.exec(line);
      if (match?.[1]) {
        total += Number(match[1]);
        found = true;
      }
    }
    if (!found) throw new Error(`no endorser_proposals_received in http://${operations}/metrics`);
    return total;
  };

  // Pausing a real orderer: SIGSTOP freezes the process, so whatever peers and clients send it waits
  // in its sockets and no block is cut; SIGCONT lets it go on where it stopped.
  let paused = false;
  const ordererPid = (): number => {
    const pid = Number(readFileSync(ordererPidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no orderer pid in ${ordererPidFile}`);
    return pid;
  };
  const pauseOrderer = (): Promise<void> => {
    process.kill(ordererPid(), 'SIGSTOP');
    paused = true;
    return Promise.resolve();
  };
  const resumeOrderer = (): Promise<void> => {
    process.kill(ordererPid(), 'SIGCONT');
    paused = false;
    return Promise.resolve();
  };

  let ordererClient: grpc.Client | undefined;
  const broadcastClient = (): grpc.Client => {
    ordererClient ??= new grpc.Client(ordererAddress, grpc.credentials.createSsl(readFileSync(ordererTlsCa)), { 'grpc.ssl_target_name_override': ordererHost });
    return ordererClient;
  };

  /**
   * Fabric's gateway opens one Broadcast stream per Submit, and a frozen orderer would take up
   * concurrent streams in no fixed order. One Broadcast stream of our own is processed message by
   * message: the envelopes reach the block cutter in the order written, back to back, while the
   * orderer is paused they all wait in the socket.
   */
  const inOneBlock: TargetBackend['inOneBlock'] = async (transactions: Transaction[], { gateway, identity, signer }) => {
    const envelopes: common.Envelope[] = [];
    for (const tx of transactions) {
      const envelope = gw.PreparedTransaction.deserializeBinary(tx.getBytes()).getEnvelope();
      if (!envelope) throw new Error(`transaction ${tx.getTransactionId()} has no envelope`);
      if (envelope.getSignature_asU8().length === 0) envelope.setSignature(await signer(tx.getDigest()));
      envelopes.push(envelope);
    }
    const client = broadcastClient();
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())));
    const stream = client.makeBidiStreamRequest(
      '/orderer.AtomicBroadcast/Broadcast',
      (envelope: common.Envelope) => Buffer.from(envelope.serializeBinary()),
      (bytes: Buffer) => orderer.BroadcastResponse.deserializeBinary(bytes),
    );
    const responses = new Promise<orderer.BroadcastResponse[]>((resolve, reject) => {
      const received: orderer.BroadcastResponse[] = [];
      stream.on('data', (response: orderer.BroadcastResponse) => {
        received.push(response);
        if (received.length === envelopes.length) resolve(received);
      });
      stream.on('error', reject);
      stream.on('end', () => reject(new Error(`the orderer closed Broadcast after ${received.length} of ${envelopes.length} responses`)));
    });
    await pauseOrderer();
    try {
      for (const envelope of envelopes) await new Promise<void>((resolve) => stream.write(envelope, () => resolve()));
    } finally {
      await resumeOrderer();
    }
    try {
      for (const response of await responses) {
        if (response.getStatus() !== common.Status.SUCCESS) throw new Error(`orderer refused: status=${response.getStatus()}, info=${response.getInfo()}`);
      }
    } finally {
      stream.end();
    }
    return transactions.map((tx): Commit => gateway.newCommit(commitStatusRequest(identity, tx.getTransactionId())));
  };

  // Ready once the probe chaincode answers through every organisation's gateway peer (the first
  // invocation also makes each peer connect to the chaincode service).
  for (const mspId of new Set(peerMspIds)) {
    const credentials = user(mspId, 'user1');
    const { endpoint, tls } = peer(mspId);
    const client = new grpc.Client(endpoint, grpc.credentials.createSsl(readFileSync(tls?.caCertFile ?? '')), { 'grpc.ssl_target_name_override': tls?.hostOverride ?? '' });
    const probe = connect({ client, identity: { mspId, credentials: credentials.certPem }, signer: signers.newPrivateKeySigner(createPrivateKey(credentials.keyPem)) });
    try {
      await retrying(`the probe chaincode does not answer on ${mspId}'s peer`, () => probe.getNetwork(CHANNEL).getContract(CHAINCODE).evaluateTransaction('echo', 'ready'), 60_000);
    } finally {
      probe.close();
      client.close();
    }
  }

  return {
    devnet: undefined,
    peer,
    user,
    proposalsReceived,
    pauseOrderer,
    resumeOrderer,
    inOneBlock,
    async close() {
      // A test that failed while the orderer was frozen must not leave it frozen for the next file.
      if (paused) await resumeOrderer();
      ordererClient?.close();
    },
  };
}
