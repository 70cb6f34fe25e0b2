/**
 * The peer side of CaaS against the real probe chaincode (fabric-shim server in a child process):
 * handshake, every request type the contract API uses, Fabric's error texts, timeouts, a dead
 * stream and redial.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { peer } from '@hyperledger/fabric-protos';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger } from '../ledger';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { unpackProposal } from '@healthledger/fabric-core/protos';
import { ChaincodeRegistry, type ChaincodeDefinitionRuntime } from '../definitions';
import { TxSimulator } from '../sim';
import { freePort, signedProposal, startProbeChaincode, type ProbeChaincode } from '../test/fixtures/probe-chaincode/harness';
import { ChaincodeConnection, type ChaincodeEndpoint } from './connection';
import { TransactionContext, type ChaincodeSupport, type ExecutingPeer } from './context';
import { ChaincodeExecutionFailure, executeChaincode } from './execute';

const CHANNEL = 'testchannel';
const ORGS = ['Org1MSP', 'Org2MSP'];
const v = (blockNum: number, txNum = 0) => ({ blockNum: BigInt(blockNum), txNum });

function definition(name: string, probe: { address: string; packageId: string }): ChaincodeDefinitionRuntime {
  const policy = new peer.ApplicationPolicy();
  policy.setChannelConfigPolicyReference('/Channel/Application/Endorsement');
  return {
    name,
    version: '1.0',
    sequence: 1,
    endorsementPolicy: policy,
    collections: new peer.CollectionConfigPackage(),
    packageId: probe.packageId,
    address: probe.address,
    definitionVersion: v(0),
  };
}

/** A peer with its own connections, like the devnet's SimulatedPeer. */
function testPeer(net: ChaincodeSupport, identity: SigningIdentity, extra: Partial<ChaincodeEndpoint> = {}) {
  const connections = new Map<string, ChaincodeConnection>();
  const p = {
    mspId: 'Org1MSP',
    name: 'peer0',
    host: 'peer0.org1.example.com',
    endpoint: 'peer0.org1.example.com:7051',
    identity,
    chaincode(name: string): ChaincodeConnection {
      let c = connections.get(name);
      if (!c) {
        const def = net.chaincodes.get(name) as ChaincodeDefinitionRuntime;
        c = new ChaincodeConnection({ address: def.address, packageId: def.packageId, ...extra });
        connections.set(name, c);
      }
      return c;
    },
    metrics: { proposalsReceived: 0 },
    close: () => connections.forEach((c) => c.close()),
  };
  return p;
}

describe('chaincode execution against the probe chaincode', () => {
  let probe: ProbeChaincode;
  let ledger: Ledger;
  let user: SigningIdentity;
  let net: ChaincodeSupport;
  let peer0: ReturnType<typeof testPeer>;

  beforeAll(async () => {
    probe = await startProbeChaincode();
    const ca = await CertificateAuthority.create('C=US, ST=California, L=San Francisco, O=org1.example.com, CN=ca.org1.example.com');
    const issued = await ca.issue({
      usage: 'identity',
      subject: 'C=US, ST=California, L=San Francisco, OU=client, CN=User1@org1.example.com',
      attributes: { 'hf.EnrollmentID': 'User1', role: 'clinician' },
    });
    user = createSigningIdentity('Org1MSP', issued.certPem, issued.keyPem);
    ledger = await Ledger.open({ orgs: ORGS });
    const chaincodes = new ChaincodeRegistry(
      [
        definition('probe', probe),
        // Same server, second definition: its own stream, so chaincode-to-chaincode calls work.
        definition('other', probe),
      ],
      ORGS,
    );
    // A stand-in for the channel config (identity module): everyone passes every policy.
    const config = { channelId: CHANNEL, orgs: ORGS, aclPolicy: () => undefined, evaluatePolicy: () => ({ ok: true }), evaluateApplicationPolicy: () => ({ ok: true }) };
    net = { config, chaincodes } as unknown as ChaincodeSupport;
    // Dials from the moment the probe is spawned; a window wider than the peer's 3 s, so that a loaded
    // machine's slow process start does not fail the test (a 0 s window is tested below).
    peer0 = testPeer(net, user, { bindWaitMs: 30_000 });
  }, 30_000);

  afterAll(async () => {
    peer0.close();
    await probe.stop();
    await ledger.close();
  });

  async function run(args: string[], opts: { transient?: Record<string, string>; peerRuntime?: ExecutingPeer; chaincode?: string } = {}) {
    const proposal = unpackProposal(signedProposal(user, { channelId: CHANNEL, chaincode: 'probe', args, transient: opts.transient }));
    const simulator = new TxSimulator(ledger, 'Org1MSP', proposal.txId);
    const ctx = new TransactionContext(net, opts.peerRuntime ?? peer0, simulator, proposal);
    const input = proposal.input as peer.ChaincodeInput;
    const result = await executeChaincode(ctx, opts.chaincode ?? 'probe', input);
    return { ...result, txId: proposal.txId, payload: Buffer.from(result.response.getPayload_asU8()).toString(), rwset: simulator.done() };
  }

  function nsKv(rwset: TxSimulator['done'] extends () => infer R ? R : never, ns: string) {
    const set = rwset.publicRwset.getNsRwsetList().find((n) => n.getNamespace() === ns);
    return set ? protos.rwset.kvrwset.KVRWSet.deserializeBinary(set.getRwset_asU8()) : undefined;
  }

  it('registers, dials while the server binds, and runs a transaction with the proposal attached', async () => {
    const { response, payload, txId } = await run(['txInfo']);
    expect(response.getStatus()).toBe(200);
    expect(JSON.parse(payload)).toMatchObject({ txId, channel: CHANNEL });
    const who = JSON.parse((await run(['whoami'])).payload) as Record<string, string>;
    expect(who).toMatchObject({ mspId: 'Org1MSP', role: 'clinician', enrollmentId: 'User1' });
  });

  it('records writes without read-your-writes and the _lifecycle read', async () => {
    ledger.state.applyPut('probe', 'k', Buffer.from('committed'), v(1));
    const { payload, rwset } = await run(['readYourWrite', 'k', 'new']);
    expect(JSON.parse(payload)).toEqual({ before: 'committed', after: 'committed' });
    expect(nsKv(rwset, 'probe')?.getWritesList().map((w) => w.getKey())).toEqual(['k']);
    expect(nsKv(rwset, '_lifecycle')?.getReadsList().map((r) => r.getKey())).toEqual(['namespaces/fields/probe/Sequence']);
  });

  it('turns a thrown contract error into status 500 with its message', async () => {
    const { response } = await run(['fail', 'asset X does not exist']);
    expect([response.getStatus(), response.getMessage()]).toEqual([500, 'asset X does not exist']);
  });

  describe('ranges', () => {
    beforeAll(() => {
      for (let i = 0; i < 250; i++) ledger.state.applyPut('probe', `r${String(i).padStart(3, '0')}`, Buffer.from(`v${i}`), v(2, i));
    });

    it('iterates more than 100 results in key order across QUERY_STATE_NEXT batches', async () => {
      const items = JSON.parse((await run(['range', 'r', 'rz'])).payload) as Array<{ key: string }>;
      expect(items).toHaveLength(250);
      expect(items[249]?.key).toBe('r249');
    });

    it('pulls a batch of 100 plus one look-ahead even when the contract stops after one', async () => {
      const { rwset } = await run(['rangeConsume', 'r', 'rz', '1']);
      const info = nsKv(rwset, 'probe')?.getRangeQueriesInfoList()[0];
      expect([info?.getItrExhausted(), info?.getEndKey()]).toEqual([false, 'r100']);
    });

    it('paginates with bookmarks and gives no metadata past the end', async () => {
      const page = async (bookmark: string) =>
        JSON.parse((await run(['page', 'r', 'r150', '60', bookmark])).payload) as { results: unknown[]; metadata: { bookmark: string; fetchedRecordsCount: number } | null };
      const first = await page('');
      expect([first.results.length, first.metadata]).toEqual([60, { bookmark: 'r060', fetchedRecordsCount: 60 }]);
      const third = await page('r120');
      expect([third.results.length, third.metadata]).toEqual([30, { bookmark: '', fetchedRecordsCount: 30 }]);
      const beyond = await page('r200');
      expect([beyond.results.length, beyond.metadata]).toEqual([0, null]);
    });

    it('rejects a write after a paginated query with the peer texts', async () => {
      const { response, txId } = await run(['pageThenPut', 'r', 'rz', 'x']);
      expect(response.getMessage()).toBe(
        `PUT_STATE failed: transaction ID: ${txId}: txid [${txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
      );
      const rich = await run(['richQuery', '{}']);
      expect(rich.response.getMessage()).toBe(`GET_QUERY_RESULT failed: transaction ID: ${rich.txId}: ExecuteQuery not supported for leveldb`);
    });
  });

  it('serves history newest first with timestamps, and state metadata for key-level policies', async () => {
    for (const [i, value] of ['v1', 'v2'].entries()) {
      ledger.history.append('probe', 'h', { txId: `tx${i}`, value: Buffer.from(value), isDelete: false, timestamp: { seconds: BigInt(100 + i), nanos: 5 }, version: v(3, i) });
    }
    const history = JSON.parse((await run(['history', 'h'])).payload) as Array<{ txId: string; seconds: number }>;
    expect(history.map((h) => [h.txId, h.seconds])).toEqual([['tx1', 101], ['tx0', 100]]);
    const { rwset } = await run(['setKeyPolicy', 'k', 'Org2MSP']);
    const metadataWrite = nsKv(rwset, 'probe')?.getMetadataWritesList()[0];
    expect(metadataWrite?.getEntriesList()[0]?.getName()).toBe('VALIDATION_PARAMETER');
    expect(Buffer.from(metadataWrite?.getEntriesList()[0]?.getValue_asU8() as Uint8Array).toString('hex')).toBe(
      '120812060801120208001a0d120b0a074f7267324d53501003',
    );
    expect(nsKv(rwset, 'probe')?.getReadsList()).toEqual([]);
  });

  it('fills in the chaincode event ids', async () => {
    const { event, txId } = await run(['setEvent', 'Created', 'payload']);
    expect([event?.getChaincodeId(), event?.getTxId(), event?.getEventName()]).toEqual(['probe', txId, 'Created']);
  });

  it('private data: implicit collection writes are hashed; unknown collections fail with Fabric text', async () => {
    const { rwset, response } = await run(['putPrivate', '_implicit_org_Org1MSP', 'pk'], { transient: { value: 'secret' } });
    expect(response.getStatus()).toBe(200);
    expect(rwset.pvtRwset?.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList()[0]?.getCollectionName()).toBe('_implicit_org_Org1MSP');
    expect(nsKv(rwset, '_lifecycle')?.getReadsList().map((r) => r.getKey())).toEqual([
      'namespaces/fields/probe/Collections',
      'namespaces/fields/probe/EndorsementInfo',
      'namespaces/fields/probe/Sequence',
      'namespaces/fields/probe/ValidationInfo',
      'namespaces/metadata/probe',
    ]);
    const purge = await run(['purgePrivate', '_implicit_org_Org1MSP', 'pk']);
    const hashedSet = purge.rwset.publicRwset.getNsRwsetList().find((n) => n.getNamespace() === 'probe')?.getCollectionHashedRwsetList()[0];
    const purgeWrite = protos.rwset.kvrwset.HashedRWSet.deserializeBinary(hashedSet?.getHashedRwset_asU8() as Uint8Array).getHashedWritesList()[0];
    expect([purgeWrite?.getIsDelete(), purgeWrite?.getIsPurge(), purgeWrite?.getValueHash_asU8().length]).toEqual([true, true, 0]);
    const unknown = await run(['getPrivate', 'nosuchcoll', 'pk']);
    expect(unknown.response.getMessage()).toBe(`GET_STATE failed: transaction ID: ${unknown.txId}: collection ${CHANNEL}/probe/nosuchcoll could not be found`);
  });

  it('calls another chaincode in the same transaction; its writes land in its namespace', async () => {
    const { payload, rwset, response } = await run(['call', 'other', JSON.stringify(['incr', 'counter'])]);
    expect([response.getStatus(), response.getMessage(), payload]).toEqual([200, '', '1']);
    expect(nsKv(rwset, 'other')?.getWritesList().map((w) => w.getKey())).toEqual(['counter']);
    expect(nsKv(rwset, 'probe')).toBeUndefined();
  });

  it('reports an unreachable chaincode server at once with Fabric launch text', async () => {
    const port = await freePort();
    const down = { ...net, chaincodes: new ChaincodeRegistry([definition('probe', { address: `127.0.0.1:${port}`, packageId: 'probe_1.0:down' })], ORGS) };
    const p = testPeer(down, user, { bindWaitMs: 0 });
    const proposal = unpackProposal(signedProposal(user, { channelId: CHANNEL, chaincode: 'probe', args: ['echo', 'x'] }));
    const ctx = new TransactionContext(down, p, new TxSimulator(ledger, 'Org1MSP', proposal.txId), proposal);
    await expect(executeChaincode(ctx, 'probe', proposal.input as peer.ChaincodeInput)).rejects.toThrow(
      new ChaincodeExecutionFailure(
        `failed to execute transaction ${proposal.txId}: could not launch chaincode probe_1.0:down: connection to probe_1.0:down failed: ` +
          `error cannot create connection for probe_1.0:down: error creating grpc connection to 127.0.0.1:${port}: failed to create new connection: ` +
          `connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:${port}: connect: connection refused"`,
      ),
    );
    p.close();
  });

  it('dials a chaincode server over TLS', async () => {
    const tlsCa = await CertificateAuthority.create('C=US, O=org1.example.com, CN=tlsca.org1.example.com');
    const server = await tlsCa.issue({ usage: 'tls-server', subject: 'C=US, CN=probe.org1.example.com', dnsNames: ['probe.org1.example.com'], ipAddresses: ['127.0.0.1'] });
    const secure = await startProbeChaincode({ tls: server });
    const tlsNet = { ...net, chaincodes: new ChaincodeRegistry([definition('probe', secure)], ORGS) };
    const p = testPeer(tlsNet, user, { tls: { rootCertPem: tlsCa.certPem, hostOverride: 'probe.org1.example.com' } });
    try {
      const { payload } = await run(['echo', 'over tls'], { peerRuntime: p });
      expect(payload).toBe('over tls');
    } finally {
      p.close();
      await secure.stop();
    }
  });

  it('gives up on a server that accepts but never registers after the dial timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const mute = { ...net, chaincodes: new ChaincodeRegistry([definition('probe', { address: `127.0.0.1:${port}`, packageId: 'probe_1.0:mute' })], ORGS) };
    const p = testPeer(mute, user, { dialTimeoutMs: 300 });
    try {
      await expect(run(['echo', 'x'], { peerRuntime: p })).rejects.toThrow(
        `error creating grpc connection to 127.0.0.1:${port}: failed to create new connection: context deadline exceeded`,
      );
    } finally {
      p.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('closing the connection fails in-flight transactions', async () => {
    const closing = testPeer(net, user);
    const pending = run(['sleep', '3000'], { peerRuntime: closing }).then(
      () => 'completed',
      (err: Error) => err.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    closing.close();
    expect(await pending).toMatch(/error sending: chaincode stream terminated$/);
  });

  it('times out a slow transaction, fails in-flight work when the stream dies, and redials', async () => {
    const slow = testPeer(net, user, { executeTimeoutMs: 300 });
    await expect(run(['sleep', '2000'], { peerRuntime: slow })).rejects.toThrow(/: error sending: timeout expired while executing transaction$/);
    slow.close();

    const own = await startProbeChaincode();
    await own.listening();
    const solo = { ...net, chaincodes: new ChaincodeRegistry([definition('probe', own)], ORGS) };
    const p = testPeer(solo, user);
    let again: ProbeChaincode | undefined;
    try {
      const proposal = unpackProposal(signedProposal(user, { channelId: CHANNEL, chaincode: 'probe', args: ['sleep', '5000'] }));
      const ctx = new TransactionContext(solo, p, new TxSimulator(ledger, 'Org1MSP', proposal.txId), proposal);
      const pending = executeChaincode(ctx, 'probe', proposal.input as peer.ChaincodeInput).then(
        () => 'completed',
        (err: Error) => err.message,
      );
      await new Promise((r) => setTimeout(r, 1500));
      await own.stop();
      expect(await pending).toMatch(/error sending: chaincode stream terminated$/);
      again = await startProbeChaincode({ packageId: own.packageId, port: Number(own.address.split(':')[1]) });
      await again.listening();
      const next = unpackProposal(signedProposal(user, { channelId: CHANNEL, chaincode: 'probe', args: ['echo', 'back'] }));
      const ctx2 = new TransactionContext(solo, p, new TxSimulator(ledger, 'Org1MSP', next.txId), next);
      const result = await executeChaincode(ctx2, 'probe', next.input as peer.ChaincodeInput);
      expect(Buffer.from(result.response.getPayload_asU8()).toString()).toBe('back');
    } finally {
      p.close();
      await own.stop();
      await again?.stop();
    }
  }, 30_000);
});
