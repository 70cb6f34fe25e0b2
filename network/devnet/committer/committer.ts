/**
 * Validation and commit of one block: the per-transaction pipeline in Fabric's order,
 * then the ledger commit with the private data of member organisations, then notifications.
 */
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { Ledger } from '../ledger';
import { selectCollections, type TransientStore } from '../pvtdata';
import type { ChaincodeDefinitionRuntime, ChaincodeRegistry } from '../definitions';
import { sha256 } from '@healthledger/fabric-core/crypto';
import { BlockUpdates } from './block-updates';
import { commitHashMetadata, storedCommitHash } from './commit-hash';
import type { CommitFeed } from './commit-feed';
import { endorsementValid } from './endorsement';
import { mvccCode, type CommittedState } from './mvcc';
import { unpackTransaction, type EndorserTransaction, type NamespaceRwset, type Unpacked } from './transaction';

const Code = peer.TxValidationCode;

/** What the committer works with: exactly the parts of the devnet it reads or writes. */
export interface CommitterOptions {
  config: Pick<ChannelConfig, 'orgs' | 'msps' | 'evaluateApplicationPolicy'>;
  ledger: Pick<Ledger, 'blocks' | 'state' | 'commitBlock'>;
  chaincodes: Pick<ChaincodeRegistry, 'has' | 'get' | 'collection' | 'collectionMembers'>;
  transientStore: Pick<TransientStore, 'take'>;
  feed: Pick<CommitFeed, 'announce'>;
  /** Called with each committed config block after block 0: the channel takes on its config. */
  onConfigBlock?: (block: common.Block) => void;
}

interface Candidate {
  unpacked: Unpacked;
  code: number;
}

/** Validates and commits blocks, one at a time, in order. */
export class Committer {
  constructor(private readonly opts: CommitterOptions) {}

  /** Validates `block`, fills TRANSACTIONS_FILTER and COMMIT_HASH, commits it, then notifies. */
  async commit(block: common.Block): Promise<void> {
    const { ledger: store } = this.opts;
    const blockNum = BigInt(block.getHeader()?.getNumber() ?? 0);
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    const candidates = envelopes.map((bytes) => this.structural(bytes));
    await this.validateInOrder(candidates);

    const filter = Uint8Array.from(candidates.map((c) => c.code));
    const pvtData = this.privateData(candidates);
    const validRwsets = candidates.flatMap((c) => (c.code === Code.VALID && c.unpacked.kind === 'endorser' ? [c.unpacked.tx.action.getResults_asU8()] : []));
    const previous = blockNum > 0n ? storedCommitHash(store.blocks.getBlock(blockNum - 1n)) : new Uint8Array(0);
    const metadata = block.getMetadata() ?? new common.BlockMetadata();
    const slots = [...metadata.getMetadataList_asU8()];
    while (slots.length < 5) slots.push(new Uint8Array(0));
    slots[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = filter;
    if (blockNum > 0n) slots[common.BlockMetadataIndex.COMMIT_HASH] = commitHashMetadata(filter, validRwsets, previous);
    metadata.setMetadataList(slots);
    block.setMetadata(metadata);

    // The ledger waits for running simulations before it applies the block.
    await store.commitBlock(block, pvtData, {
      collectionMembers: (ns: string, coll: string) => this.opts.chaincodes.collectionMembers(ns, coll),
      decodedWrites: validWrites(candidates),
    });
    if (blockNum > 0n && candidates.some((c) => c.unpacked.kind === 'config' && c.code === Code.VALID)) this.opts.onConfigBlock?.(block);
    this.opts.feed.announce(
      blockNum,
      candidates.map((c) => ({ txId: c.unpacked.kind === 'endorser' ? c.unpacked.tx.txId : c.unpacked.txId, code: c.code })),
    );
  }

  /** Steps 1–7 for one envelope (policies, duplicates and MVCC need the whole block). */
  private structural(bytes: Uint8Array): Candidate {
    const { config, ledger: store, chaincodes } = this.opts;
    const unpacked = unpackTransaction(bytes, (creator, data, signature) => {
      try {
        const identity = config.msps.deserialize(creator);
        identity.validate();
        identity.verify(data, signature);
        return true;
      } catch {
        return false;
      }
    });
    if (unpacked.kind === 'config') return { unpacked, code: Code.VALID };
    if (unpacked.kind === 'invalid') return { unpacked, code: unpacked.code };
    const tx = unpacked.tx;
    if (store.blocks.txLocation(tx.txId)) return { unpacked, code: Code.DUPLICATE_TXID };
    if (!chaincodes.has(tx.chaincodeName)) return { unpacked, code: Code.INVALID_CHAINCODE };
    return { unpacked, code: Code.VALID };
  }

  /**
   * Steps 8–10 over the block: endorsement policies in block order (so the same-block
   * validation-parameter rule can apply), in-block duplicates, then MVCC.
   */
  private async validateInOrder(candidates: Candidate[]): Promise<void> {
    const endorsedUpdates = new BlockUpdates();
    for (const c of candidates) {
      if (c.code !== Code.VALID || c.unpacked.kind !== 'endorser') continue;
      const tx = c.unpacked.tx;
      const ctx = { config: this.opts.config, state: this.opts.ledger.state, chaincodes: this.opts.chaincodes, updates: endorsedUpdates };
      if (!endorsementValid(ctx, tx)) c.code = Code.ENDORSEMENT_POLICY_FAILURE;
      else endorsedUpdates.add(tx.namespaces);
    }
    this.markInBlockDuplicates(candidates);
    const updates = new BlockUpdates();
    const state = this.committedState();
    for (const c of candidates) {
      if (c.code !== Code.VALID || c.unpacked.kind !== 'endorser') continue;
      c.code = await mvccCode(state, updates, c.unpacked.tx.namespaces);
      if (c.code === Code.VALID) updates.add(c.unpacked.tx.namespaces);
    }
  }

  /** Step 9: a txid repeated inside the block marks the later VALID ones DUPLICATE_TXID. */
  private markInBlockDuplicates(candidates: Candidate[]): void {
    const seen = new Set<string>();
    for (const c of candidates) {
      if (c.code !== Code.VALID || c.unpacked.kind !== 'endorser') continue;
      if (seen.has(c.unpacked.tx.txId)) c.code = Code.DUPLICATE_TXID;
      else seen.add(c.unpacked.tx.txId);
    }
  }

  /** Committed state for MVCC; `_lifecycle` keys carry their chaincode's definition version. */
  private committedState(): CommittedState {
    const { state } = this.opts.ledger;
    const chaincodes = this.opts.chaincodes;
    return {
      version: (ns, key) => (ns === '_lifecycle' ? lifecycleVersion(chaincodes, key) : state.get(ns, key)?.version),
      hashedVersion: (ns, coll, keyHash) => state.getHashed(ns, coll, keyHash)?.version,
      range: (ns, start, end) => state.range(ns, start, end),
    };
  }

  /**
   * Private write sets of the VALID transactions, taken from the transient store (the stand-in for
   * gossip) and checked against the `pvt_rwset_hash` in the block. Data of invalid transactions
   * is taken too, and dropped.
   */
  private privateData(candidates: Candidate[]): Map<number, ledger.rwset.TxPvtReadWriteSet> {
    const result = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    candidates.forEach((c, txNum) => {
      if (c.unpacked.kind !== 'endorser') return;
      const tx = c.unpacked.tx;
      // Each org was handed only the collections it is a member of: gather them all.
      const shares = this.opts.config.orgs.flatMap((org) => this.opts.transientStore.take(tx.txId, org) ?? []);
      if (shares.length === 0 || c.code !== Code.VALID) return;
      const verified = verifiedPrivateData(tx, mergeShares(shares));
      if (verified.getNsPvtRwsetList().length > 0) result.set(txNum, verified);
    });
    return result;
  }
}

/** The write sets of the VALID endorser transactions, by index in the block: the ledger need not decode them again. */
function validWrites(candidates: readonly Candidate[]): Map<number, readonly NamespaceRwset[]> {
  const writes = new Map<number, readonly NamespaceRwset[]>();
  candidates.forEach((c, txNum) => {
    if (c.code === Code.VALID && c.unpacked.kind === 'endorser') writes.set(txNum, c.unpacked.tx.namespaces);
  });
  return writes;
}

/** One TxPvtReadWriteSet holding every (namespace, collection) found in `shares` once. */
function mergeShares(shares: ledger.rwset.TxPvtReadWriteSet[]): ledger.rwset.TxPvtReadWriteSet {
  const merged = new ledger.rwset.TxPvtReadWriteSet();
  merged.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  const namespaces = new Map<string, ledger.rwset.NsPvtReadWriteSet>();
  for (const share of shares) {
    for (const ns of share.getNsPvtRwsetList()) {
      let target = namespaces.get(ns.getNamespace());
      if (!target) {
        target = new ledger.rwset.NsPvtReadWriteSet();
        target.setNamespace(ns.getNamespace());
        namespaces.set(ns.getNamespace(), target);
        merged.addNsPvtRwset(target);
      }
      const present = new Set(target.getCollectionPvtRwsetList().map((c) => c.getCollectionName()));
      for (const coll of ns.getCollectionPvtRwsetList()) if (!present.has(coll.getCollectionName())) target.addCollectionPvtRwset(coll);
    }
  }
  return merged;
}

/** Keeps the collections whose private write set hashes to the `pvt_rwset_hash` in the block. */
function verifiedPrivateData(tx: EndorserTransaction, pvt: ledger.rwset.TxPvtReadWriteSet): ledger.rwset.TxPvtReadWriteSet {
  const expected = new Map<string, Buffer>();
  for (const ns of tx.namespaces) for (const c of ns.collections) expected.set(`${ns.namespace}\u0000${c.name}`, Buffer.from(c.pvtRwsetHash));
  return selectCollections(pvt, (namespace, c) => expected.get(`${namespace}\u0000${c.getCollectionName()}`)?.equals(sha256(c.getRwset_asU8())) ?? false);
}

/** `_lifecycle` keys `namespaces/fields/<cc>/…` and `namespaces/metadata/<cc>`. */
function lifecycleVersion(chaincodes: CommitterOptions['chaincodes'], key: string): ChaincodeDefinitionRuntime['definitionVersion'] | undefined {
  const match = /^namespaces\/(?:fields\/([^/]+)\/|metadata\/([^/]+)$)/.exec(key);
  const name = match?.[1] ?? match?.[2];
  return name === undefined ? undefined : chaincodes.get(name)?.definitionVersion;
}
