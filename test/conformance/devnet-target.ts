/**
 * The devnet target of the conformance suite: a devnet of its own per test file, with the probe
 * chaincode as a chaincode service and the chaincode definition of consortium.yaml (policy and
 * explicit collections), as the Fabric target deploys it.
 */
import { readFileSync } from 'node:fs';
import { Devnet, type DevnetOptions } from '@healthledger/network/devnet';
import { startProbeChaincode } from '@healthledger/network/devnet/test/fixtures/probe-chaincode/harness';
import type { Commit } from '@hyperledger/fabric-gateway';
import { testConsortium } from './consortium';
import type { TargetBackend } from './harness';

export async function startDevnetTarget(opts: Partial<DevnetOptions> & { dataDir: string }): Promise<TargetBackend> {
  const consortium = testConsortium();
  const probe = await startProbeChaincode();
  let devnet: Devnet;
  try {
    // The suites test the ledger, not the peer's dial-while-binding (network/devnet/chaincode has
    // its own tests): on a loaded machine the probe's process can take longer to bind than the
    // peer's 3 s first-dial window, and the first transaction would fail for that alone.
    await probe.listening(30_000);
    const { name, version, sequence, endorsementPolicy } = consortium.chaincode;
    devnet = await Devnet.start({
      consortium,
      inMemory: true,
      randomPorts: true,
      chaincodes: [{ name, version, sequence, endorsementPolicy, packageId: probe.packageId, address: probe.address, collections: consortium.collections }],
      ...opts,
    });
  } catch (err) {
    await probe.stop();
    throw err;
  }
  const org = (mspId: string) => {
    const found = devnet.descriptor.orgs.find((o) => o.mspId === mspId);
    if (!found) throw new Error(`no organisation ${mspId}`);
    return found;
  };
  const simulatedPeer = (mspId: string) => {
    const found = devnet.network.peers.find((p) => p.mspId === mspId);
    if (!found) throw new Error(`no peer of ${mspId}`);
    return found;
  };
  return {
    devnet,
    peer(mspId) {
      const { tlsCaCert, hostOverride } = org(mspId);
      return {
        mspId,
        endpoint: devnet.endpoint(mspId),
        address: simulatedPeer(mspId).endpoint,
        ...(tlsCaCert && hostOverride ? { tls: { caCertFile: tlsCaCert, hostOverride } } : {}),
      };
    },
    user(mspId, name) {
      const u = org(mspId).users.find((x) => x.name === name);
      if (!u) throw new Error(`no user ${name} in ${mspId}`);
      return { mspId, certPem: readFileSync(u.cert), keyPem: readFileSync(u.key) };
    },
    proposalsReceived: (mspId) => Promise.resolve(simulatedPeer(mspId).metrics.proposalsReceived),
    // The devnet orderer's test hook: Broadcast still accepts (and queues) envelopes; no block is cut.
    pauseOrderer: () => Promise.resolve(devnet.orderer.pause()),
    resumeOrderer: () => Promise.resolve(devnet.orderer.resume()),
    async inOneBlock(transactions) {
      // While paused, each Submit resolves once the orderer queued the envelope: the order of the
      // awaits is the order in the block, and resume cuts them all into one.
      devnet.orderer.pause();
      try {
        const commits: Commit[] = [];
        for (const tx of transactions) commits.push(await tx.submit());
        return commits;
      } finally {
        devnet.orderer.resume();
      }
    },
    async close() {
      await devnet.stop();
      await probe.stop();
    },
  };
}
