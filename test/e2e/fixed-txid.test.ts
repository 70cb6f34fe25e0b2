/**
 * What the gateway's crash-safe idempotency relies on, on the devnet and, under
 * `npm run test:fabric`, on real Fabric: a transaction id chosen before endorsement
 * (fabric/fixed-txid.ts) takes effect once whatever is sent again — a peer refuses to endorse a
 * proposal whose id is committed, and a second copy that reaches the orderer is committed as
 * DUPLICATE_TXID — and a journaled submit whose outcome was lost is answered from the ledger with
 * the first attempt's id and result. Goes beneath the REST API through the gateway's own Fabric
 * connection (gateways running on hosts of their own are out of reach: skipped there).
 */
import { CONSENT } from '@healthledger/contract-api';
import { EndorseError } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { FabricConnection } from '@healthledger/gateway/fabric/connection';
import { newNonce, withNonce } from '@healthledger/gateway/fabric/fixed-txid';
import type { LedgerCall, TxAttempt, TxJournal, TxSlot } from '@healthledger/gateway/fabric/ledger';
import type { FabricUser } from '@healthledger/gateway/fabric/wallet';
import { client, researchConsent, uid } from './http';
import { startJourneys, type JourneyNetwork } from './network';

/** A journal kept in memory: one slot, as a request with one submit has. */
class MemoryJournal implements TxJournal {
  constructor(readonly attempts: TxAttempt[] = []) {}

  slot(): TxSlot {
    return { attempts: [...this.attempts], record: (attempt) => this.attempts.push(attempt) };
  }
}

const onHosts = process.env.HEALTHLEDGER_E2E_GATEWAYS !== undefined;

(onHosts ? describe.skip : describe)('transaction ids fixed before endorsement', () => {
  let net: JourneyNetwork;
  let api: ReturnType<typeof client>;
  let ledger: FabricConnection;
  let patient: FabricUser;

  beforeAll(async () => {
    net = await startJourneys('fixed-txid');
    api = client(net);
    const topology = net.topologyFor('patient1');
    if (!topology) throw new Error('no ledger topology for patient1');
    const user = topology.wallet.list().find((u) => u.name === 'patient1');
    if (!user) throw new Error('patient1 is not in the gateway wallet');
    patient = user;
    ledger = new FabricConnection(topology, {
      deadlines: { evaluateMs: 10_000, endorseMs: 30_000, submitMs: 10_000, commitStatusMs: 60_000, readyMs: 2_000 },
      maxAttempts: 3,
    });
  }, 120_000);
  afterAll(async () => {
    ledger?.close();
    await net?.stop();
  });

  const grant = (consentId: string): LedgerCall => ({ fn: CONSENT.grantConsent.qualifiedName, args: [JSON.stringify(researchConsent(consentId))] });
  const historyOf = async (consentId: string) => (await api.get('auditor1', `/audit/history/consent/${consentId}`)).body.items as unknown[];

  /** A signed-on-endorse proposal for `call` under `nonce`'s transaction id. */
  function proposalWith(call: LedgerCall, nonce: Uint8Array) {
    const draft = ledger.contractFor(patient).newProposal(call.fn, { arguments: call.args ?? [] });
    return ledger.gatewayFor(patient).newProposal(withNonce(draft.getBytes(), nonce).bytes);
  }

  test('a journaled submit sent again after its outcome was lost answers from the ledger: same id, same result, one effect', async () => {
    const consentId = uid('fixed');
    const journal = new MemoryJournal();
    const first = await ledger.submit(patient, { ...grant(consentId), journal });
    expect(journal.attempts.map((a) => a.txId)).toEqual([first.txId]);
    // A new run of the same request (after a crash) finds the recorded attempt.
    const replay = await ledger.submit(patient, { ...grant(consentId), journal: new MemoryJournal([...journal.attempts]) });
    expect({ txId: replay.txId, blockNumber: replay.blockNumber, result: Buffer.from(replay.result).toString() }).toEqual({
      txId: first.txId,
      blockNumber: first.blockNumber,
      result: Buffer.from(first.result).toString(),
    });
    expect(await historyOf(consentId)).toHaveLength(1);
  });

  test('a peer refuses to endorse a proposal whose transaction id is committed', async () => {
    const consentId = uid('fixed');
    const journal = new MemoryJournal();
    await ledger.submit(patient, { ...grant(consentId), journal });
    const [attempt] = journal.attempts;
    const again = proposalWith(grant(consentId), Buffer.from(attempt?.nonce ?? '', 'hex'));
    expect(again.getTransactionId()).toBe(attempt?.txId);
    const refused = await again.endorse().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(EndorseError);
    const text = `${(refused as EndorseError).message} ${JSON.stringify((refused as EndorseError).details)}`;
    expect(text).toMatch(/duplicate transaction found/);
    expect(await historyOf(consentId)).toHaveLength(1);
  });

  test('two copies of one transaction reach the orderer: the first commits, the second is DUPLICATE_TXID', async () => {
    const consentId = uid('fixed');
    const nonce = newNonce();
    // Both endorsed before either commits, so both pass the endorsers' duplicate check; one after
    // the other, as a peer refuses a simulation whose id another one running has.
    const one = await proposalWith(grant(consentId), nonce).endorse();
    const two = await proposalWith(grant(consentId), nonce).endorse();
    const txId = one.getTransactionId();
    expect(two.getTransactionId()).toBe(txId);
    const sentOne = await one.submit();
    const sentTwo = await two.submit();
    const status = await sentOne.getStatus();
    expect(status.successful).toBe(true);
    // The commit status of an id is that of its first copy.
    expect(await sentTwo.getStatus()).toEqual(status);

    const codes = await copiesOf(txId, status.blockNumber);
    expect(codes).toEqual([peer.TxValidationCode.VALID, peer.TxValidationCode.DUPLICATE_TXID]);
    expect(await historyOf(consentId)).toHaveLength(1);
  });

  /** Validation codes of every envelope carrying `txId` from block `from` on, once both copies are in. */
  async function copiesOf(txId: string, from: bigint): Promise<number[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const height = BigInt(common.BlockchainInfo.deserializeBinary(await ledger.qscc(patient, 'GetChainInfo')).getHeight());
      const codes: number[] = [];
      for (let n = from; n < height; n++) {
        const block = common.Block.deserializeBinary(await ledger.qscc(patient, 'GetBlockByNumber', n.toString()));
        codes.push(...copiesIn(block, txId));
      }
      if (codes.length >= 2 || Date.now() > deadline) return codes;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
});

/** Validation codes of the envelopes in `block` that carry `txId`, in block order. */
function copiesIn(block: common.Block, txId: string): number[] {
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  return (block.getData()?.getDataList_asU8() ?? []).flatMap((bytes, i) => {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    return header.getTxId() === txId ? [filter[i] ?? peer.TxValidationCode.INVALID_OTHER_REASON] : [];
  });
}
