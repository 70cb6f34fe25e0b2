import os from 'node:os';
import path from 'node:path';
import { common, ledger as rw, peer } from '@hyperledger/fabric-protos';
import { parseConsortium } from '../../consortium';
import { buildChannelConfig, type ChannelConfig } from '../channelconfig';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { transactionEnvelope } from '../gateway-service/transaction-envelope';
import { Ledger } from '../ledger';
import { buildBlock } from '../orderer';
import { generateMaterial, type Material, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { proposalHash, unpackProposal } from '@healthledger/fabric-core/protos';
import { TransientStore } from '../pvtdata';
import { ChaincodeRegistry, chaincodeDefinition } from '../definitions';
import { signedProposal } from '../test/fixtures/probe-chaincode/harness';
import { CommitFeed } from './commit-feed';
import { Committer } from './committer';

// Starts processes, servers or generates certificates: slow on a busy machine.
jest.setTimeout(60_000);

const Code = peer.TxValidationCode;

const CONSORTIUM = parseConsortium(
  `
channel: ch
chaincode: { name: cc, version: "1.0", sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')", address: 127.0.0.1:9999 }
orderer: { mspId: OrdererMSP, domain: example.com, port: 7050, batchTimeoutMs: 100, maxMessageCount: 10 }
organizations:
  - { mspId: Org1MSP, name: Org 1, kind: provider, domain: org1.example.com, peers: [{ name: peer0, port: 7051 }], users: [{ name: user1, role: auditor }] }
  - { mspId: Org2MSP, name: Org 2, kind: payer, domain: org2.example.com, peers: [{ name: peer0, port: 9051 }], users: [{ name: user1, role: auditor }] }
`,
  'committer-test',
);

let material: Material;
let config: ChannelConfig;
let ledger: Ledger;
let committer: Committer;
let user: SigningIdentity;
let org1Peer: SigningIdentity;
let org2Peer: SigningIdentity;

beforeAll(async () => {
  material = await generateMaterial(CONSORTIUM, path.join(os.tmpdir(), 'healthledger-committer-test'));
  config = buildChannelConfig(CONSORTIUM, material);
  ledger = await Ledger.open({ orgs: config.orgs });
  const chaincodes = new ChaincodeRegistry(
    [chaincodeDefinition({ name: 'cc', version: '1.0', sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')", address: '127.0.0.1:1' })],
    config.orgs,
  );
  committer = new Committer({ config, ledger, chaincodes, transientStore: new TransientStore(), feed: new CommitFeed(ledger.blocks) });
  await committer.commit(config.genesisBlock());
  const [org1, org2] = material.orgs;
  user = org1?.users[0]?.identity as SigningIdentity;
  org1Peer = org1?.peers[0]?.identity as SigningIdentity;
  org2Peer = org2?.peers[0]?.identity as SigningIdentity;
});

afterAll(async () => {
  await ledger?.close();
});

/** What to do to an otherwise valid transaction writing `key`. */
interface Forgery {
  chaincode?: string;
  actionChaincode?: string;
  version?: string;
  endorser?: SigningIdentity;
  /** Change the proposal hash the endorsers signed. */
  badProposalHash?: boolean;
  /** Sign the envelope with another identity's key. */
  envelopeSigner?: SigningIdentity;
  /** Rewrite the channel header's txid (after the proposal was built). */
  txId?: string;
  /** The namespace's KVRWSet bytes, as the endorsers signed them. */
  kvRwset?: Uint8Array;
  /** The chaincode event's bytes, as the endorsers signed them. */
  event?: Uint8Array;
}

function transaction(key: string, forge: Forgery = {}): Uint8Array {
  const proposal = unpackProposal(signedProposal(user, { channelId: 'ch', chaincode: forge.chaincode ?? 'cc', args: ['put', key] }));
  const write = new rw.rwset.kvrwset.KVWrite();
  write.setKey(key);
  write.setValue(Buffer.from('v'));
  const kv = new rw.rwset.kvrwset.KVRWSet();
  kv.setWritesList([write]);
  const ns = new rw.rwset.NsReadWriteSet();
  ns.setNamespace('cc');
  ns.setRwset(forge.kvRwset ?? kv.serializeBinary());
  const rwset = new rw.rwset.TxReadWriteSet();
  rwset.setDataModel(rw.rwset.TxReadWriteSet.DataModel.KV);
  rwset.setNsRwsetList([ns]);
  const response = new peer.Response();
  response.setStatus(200);
  const id = new peer.ChaincodeID();
  id.setName(forge.actionChaincode ?? forge.chaincode ?? 'cc');
  id.setVersion(forge.version ?? '1.0');
  const action = new peer.ChaincodeAction();
  action.setResults(rwset.serializeBinary());
  action.setResponse(response);
  action.setChaincodeId(id);
  if (forge.event) action.setEvents(forge.event);
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(forge.badProposalHash ? Buffer.alloc(32, 7) : proposalHash(proposal));
  prp.setExtension$(action.serializeBinary());
  const prpBytes = prp.serializeBinary();
  const endorser = forge.endorser ?? org1Peer;
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorser.serialized);
  endorsement.setSignature(endorser.sign(Buffer.concat([prpBytes, endorser.serialized])));
  const envelope = transactionEnvelope(proposal, prpBytes, [endorsement]);
  if (forge.txId) {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader() as common.Header;
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    channelHeader.setTxId(forge.txId);
    header.setChannelHeader(channelHeader.serializeBinary());
    envelope.setPayload(payload.serializeBinary());
  }
  envelope.setSignature((forge.envelopeSigner ?? user).sign(envelope.getPayload_asU8()));
  return envelope.serializeBinary();
}

function garbagePayload(): Uint8Array {
  const envelope = new common.Envelope();
  envelope.setPayload(Buffer.from([0xff, 0xff, 0xff]));
  return envelope.serializeBinary();
}

/** Cuts, validates and commits a block; returns its TRANSACTIONS_FILTER. */
async function commit(envelopes: Uint8Array[]): Promise<number[]> {
  const block = buildBlock({ number: ledger.blocks.height, previousHash: ledger.blocks.currentHash(), envelopes, signer: material.orderer.identity });
  await committer.commit(block);
  const stored = ledger.blocks.getBlock(ledger.blocks.height - 1n) as common.Block;
  const header = stored.getHeader() as common.BlockHeader;
  expect(ledger.blocks.currentHash()).toEqual(blockHeaderHash(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8()));
  return [...(stored.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? [])];
}

describe('Committer', () => {
  it('commits a well-formed endorsed transaction VALID and applies its write', async () => {
    expect(await commit([transaction('a')])).toEqual([Code.VALID]);
    expect(ledger.state.get('cc', 'a')?.value.toString()).toBe('v');
  });

  it('assigns each structural failure its code and applies nothing', async () => {
    const codes = await commit([
      Buffer.from('not an envelope'),
      garbagePayload(),
      transaction('b1', { envelopeSigner: org1Peer }),
      transaction('b2', { txId: 'f'.repeat(64) }),
      transaction('b3', { badProposalHash: true }),
      transaction('b4', { actionChaincode: 'other' }),
      transaction('b5', { version: '' }),
      transaction('b6', { chaincode: 'undefinedcc' }),
      transaction('b7', { endorser: org2Peer }),
    ]);
    expect(codes).toEqual([
      Code.NIL_ENVELOPE,
      Code.BAD_PAYLOAD,
      Code.BAD_CREATOR_SIGNATURE,
      Code.BAD_PROPOSAL_TXID,
      Code.INVALID_ENDORSER_TRANSACTION,
      Code.INVALID_CHAINCODE,
      Code.INVALID_CHAINCODE,
      Code.INVALID_CHAINCODE,
      Code.ENDORSEMENT_POLICY_FAILURE,
    ]);
    for (const key of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']) expect(ledger.state.get('cc', key)).toBeUndefined();
  });

  it('refuses a layer whose string claims gigabytes with its code, without decoding it (the wire check)', async () => {
    // A KVWrite key and an event chaincode id whose lengths claim gigabytes: google-protobuf would
    // spend seconds to a minute of CPU on each before failing.
    const hugeString = Buffer.from('0aa6a6ddc319c9f67f8f9c54ce62afdb855e9af9576ebddc5454fc0f9503ba', 'hex');
    const codes = await commit([
      transaction('e1', { kvRwset: Buffer.concat([Buffer.from([0x1a, hugeString.length]), hugeString]) }),
      transaction('e2', { event: hugeString }),
    ]);
    expect(codes).toEqual([Code.BAD_RWSET, Code.INVALID_OTHER_REASON]);
  });

  it('marks a txid repeated in the block, and a replay of a committed txid, DUPLICATE_TXID', async () => {
    const tx = transaction('c');
    expect(await commit([tx, tx])).toEqual([Code.VALID, Code.DUPLICATE_TXID]);
    expect(await commit([tx])).toEqual([Code.DUPLICATE_TXID]);
  });

  it('fills COMMIT_HASH as Metadata{32-byte value}, chained from block to block', async () => {
    await commit([transaction('d')]);
    const last = ledger.blocks.getBlock(ledger.blocks.height - 1n) as common.Block;
    const slot = last.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.COMMIT_HASH] ?? new Uint8Array();
    expect(common.Metadata.deserializeBinary(slot).getValue_asU8()).toHaveLength(32);
    expect(Buffer.from(slot).subarray(0, 2).toString('hex')).toBe('0a20');
  });
});
