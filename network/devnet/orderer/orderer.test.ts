import { generateKeyPairSync, verify } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import { blockHeaderBytes, blockHeaderHash, sha256 } from '@healthledger/fabric-core/crypto';
import type { Ledger } from '../ledger';
import { createSigningIdentity } from '@healthledger/fabric-core/pki';
import { buildBlock } from './block';
import { checkEnvelope } from './intake';
import { Orderer } from './orderer';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ordererIdentity = createSigningIdentity('OrdererMSP', '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', privateKey);

/** A channel config whose Writers policy accepts signatures equal to 'good'. */
function fakeConfig(channelId = 'ch'): ChannelConfig {
  return {
    channelId,
    evaluatePolicy: (path: string, signed: Array<{ signature: Uint8Array }>) =>
      path === '/Channel/Writers' && Buffer.from(signed[0]?.signature ?? []).toString() === 'good'
        ? { ok: true }
        : { ok: false, message: "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied" },
  } as unknown as ChannelConfig;
}

function envelope(opts: { channel?: string; txId?: string; signature?: string; type?: number } = {}): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(opts.type ?? common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(opts.channel ?? 'ch');
  channelHeader.setTxId(opts.txId ?? 'tx1');
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(Buffer.from('creator'));
  signatureHeader.setNonce(Buffer.from('nonce'));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(Buffer.from(opts.txId ?? 'data'));
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(Buffer.from(opts.signature ?? 'good'));
  return env;
}

describe('orderer intake', () => {
  it('accepts a well-formed envelope signed by a writer, keeping its exact bytes', () => {
    const env = envelope();
    const result = checkEnvelope(fakeConfig(), env);
    expect(result).toEqual({ ok: true, envelope: { bytes: env.serializeBinary(), txId: 'tx1' } });
  });

  it('rejects an empty envelope as BAD_REQUEST', () => {
    const result = checkEnvelope(fakeConfig(), new common.Envelope());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.result.status).toBe(common.Status.BAD_REQUEST);
  });

  it('answers NOT_FOUND for another channel', () => {
    const result = checkEnvelope(fakeConfig(), envelope({ channel: 'other' }));
    expect(!result.ok && result.result.status).toBe(common.Status.NOT_FOUND);
  });

  it('answers FORBIDDEN with Fabric\'s text when the creator is not a writer', () => {
    const result = checkEnvelope(fakeConfig(), envelope({ signature: 'bad' }));
    expect(!result.ok && result.result).toEqual({
      status: common.Status.FORBIDDEN,
      info: "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied",
    });
  });
});

describe('block format', () => {
  const previousHash = sha256(Buffer.from('previous'));
  const envelopes = [envelope({ txId: 'a' }).serializeBinary(), envelope({ txId: 'b' }).serializeBinary()];
  const block = buildBlock({ number: 7n, previousHash, envelopes, signer: ordererIdentity, nonce: () => Buffer.alloc(24, 1) });

  it('chains the header and hashes the exact envelope bytes', () => {
    expect(block.getHeader()?.getNumber()).toBe(7);
    expect(Buffer.from(block.getHeader()?.getPreviousHash_asU8() ?? [])).toEqual(previousHash);
    expect(Buffer.from(block.getHeader()?.getDataHash_asU8() ?? [])).toEqual(sha256(...envelopes));
    expect(block.getData()?.getDataList_asU8().map((b) => Buffer.from(b))).toEqual(envelopes.map((b) => Buffer.from(b)));
  });

  it('has five metadata slots: signed SIGNATURES, empty LAST_CONFIG index 0, and empty slots for the committer', () => {
    const slots = block.getMetadata()?.getMetadataList_asU8() ?? [];
    expect(slots).toHaveLength(5);
    expect(slots[common.BlockMetadataIndex.LAST_CONFIG]).toHaveLength(0);
    expect(slots[common.BlockMetadataIndex.TRANSACTIONS_FILTER]).toHaveLength(0);
    expect(slots[common.BlockMetadataIndex.COMMIT_HASH]).toHaveLength(0);

    const signatures = common.Metadata.deserializeBinary(slots[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array());
    const ordererMetadata = common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8());
    expect(ordererMetadata.getLastConfig()?.getIndex()).toBe(0);
    const [signature] = signatures.getSignaturesList();
    const signatureHeader = common.SignatureHeader.deserializeBinary(signature?.getSignatureHeader_asU8() ?? new Uint8Array());
    expect(Buffer.from(signatureHeader.getCreator_asU8())).toEqual(Buffer.from(ordererIdentity.serialized));
    expect(signatureHeader.getNonce_asU8()).toHaveLength(24);
    const signed = Buffer.concat([signatures.getValue_asU8(), signature?.getSignatureHeader_asU8() ?? new Uint8Array(0), blockHeaderBytes(7n, previousHash, sha256(...envelopes))]);
    expect(verify('sha256', signed, publicKey, signature?.getSignature_asU8() ?? new Uint8Array())).toBe(true);
  });
});

describe('block cutter', () => {
  /** A ledger stand-in whose commit can be held open to observe queueing. */
  function harness(opts: { batchTimeoutMs?: number; maxMessageCount?: number; preferredMaxBytes?: number } = {}) {
    const blocks: common.Block[] = [];
    let height = 1n;
    let hash: Buffer = Buffer.alloc(32);
    let hold: Promise<void> = Promise.resolve();
    const ledger = { blocks: { get height() { return height; }, currentHash: () => hash } } as unknown as Ledger;
    const orderer = new Orderer({
      config: fakeConfig(),
      ledger,
      identity: ordererIdentity,
      ...opts,
      commit: async (block) => {
        await hold;
        blocks.push(block);
        const header = block.getHeader() as common.BlockHeader;
        hash = blockHeaderHash(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8());
        height += 1n;
      },
    });
    const txIds = (): string[][] =>
      blocks.map((b) => b.getData()?.getDataList_asU8().map((e) => common.ChannelHeader.deserializeBinary(common.Payload.deserializeBinary(common.Envelope.deserializeBinary(e).getPayload_asU8()).getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTxId()) ?? []);
    return {
      orderer,
      blocks,
      txIds,
      holdUntil: (p: Promise<void>): void => {
        hold = p;
      },
    };
  }

  it('cuts at once, and queues what arrives while a block commits into the next block', async () => {
    const h = harness();
    let release = (): void => undefined;
    h.holdUntil(new Promise((resolve) => (release = resolve)));
    await h.orderer.broadcast(envelope({ txId: 'a' }));
    await h.orderer.broadcast(envelope({ txId: 'b' }));
    await h.orderer.broadcast(envelope({ txId: 'c' }));
    release();
    await h.orderer.close();
    expect(h.txIds()).toEqual([['a'], ['b', 'c']]);
    expect(h.blocks.map((b) => b.getHeader()?.getNumber())).toEqual([1, 2]);
    const second = h.blocks[1]?.getHeader();
    const first = h.blocks[0]?.getHeader() as common.BlockHeader;
    expect(Buffer.from(second?.getPreviousHash_asU8() ?? [])).toEqual(blockHeaderHash(1n, first.getPreviousHash_asU8(), first.getDataHash_asU8()));
  });

  it('honours maxMessageCount', async () => {
    const h = harness({ maxMessageCount: 2, batchTimeoutMs: 10_000 });
    for (const id of ['a', 'b', 'c']) await h.orderer.broadcast(envelope({ txId: id }));
    await h.orderer.close();
    expect(h.txIds()).toEqual([['a', 'b'], ['c']]);
  });

  it('closes a block before it exceeds preferredMaxBytes; a larger envelope goes alone', async () => {
    const size = envelope({ txId: 'a' }).serializeBinary().length;
    const h = harness({ batchTimeoutMs: 10_000, preferredMaxBytes: size * 2 });
    for (const id of ['a', 'b', 'c']) await h.orderer.broadcast(envelope({ txId: id }));
    await h.orderer.close();
    expect(h.txIds()).toEqual([['a', 'b'], ['c']]);
  });

  it('batches envelopes that arrive within batchTimeoutMs into one block', async () => {
    const h = harness({ batchTimeoutMs: 50 });
    await h.orderer.broadcast(envelope({ txId: 'a' }));
    await h.orderer.broadcast(envelope({ txId: 'b' }));
    expect(h.blocks).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(h.txIds()).toEqual([['a', 'b']]);
    await h.orderer.close();
  });

  it('holds cutting while paused and puts everything queued into the next block on resume', async () => {
    const h = harness();
    h.orderer.pause();
    for (const id of ['a', 'b', 'c']) await h.orderer.broadcast(envelope({ txId: id }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.blocks).toHaveLength(0);
    expect(h.orderer.queued).toBe(3);
    h.orderer.resume();
    await h.orderer.close();
    expect(h.txIds()).toEqual([['a', 'b', 'c']]);
  });

  it('stops ordering after a failed commit and reports it', async () => {
    const failures: unknown[] = [];
    const ledger = { blocks: { height: 1n, currentHash: () => Buffer.alloc(32) } } as unknown as Ledger;
    const orderer = new Orderer({
      config: fakeConfig(),
      ledger,
      identity: ordererIdentity,
      commit: () => Promise.reject(new Error('disk full')),
      onFailure: (err) => failures.push(err),
    });
    expect((await orderer.broadcast(envelope())).status).toBe(common.Status.SUCCESS);
    await orderer.close();
    expect(failures).toEqual([new Error('disk full')]);
    expect((await orderer.broadcast(envelope())).status).toBe(common.Status.SERVICE_UNAVAILABLE);
  });

  it('refuses envelopes after close and does not order rejected ones', async () => {
    const h = harness();
    const rejected = await h.orderer.broadcast(envelope({ signature: 'bad' }));
    expect(rejected.status).toBe(common.Status.FORBIDDEN);
    await h.orderer.close();
    expect((await h.orderer.broadcast(envelope())).status).toBe(common.Status.SERVICE_UNAVAILABLE);
    expect(h.blocks).toHaveLength(0);
  });
});
