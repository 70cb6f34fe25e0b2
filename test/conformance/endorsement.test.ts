/**
 * Conformance (docs/design/fabric-conformance.md h): key-level endorsement is enforced at commit,
 * and a malicious endorsement — tampered read-write set, bad signature, an endorsement claimed
 * for the wrong org — is invalidated (ENDORSEMENT_POLICY_FAILURE) and changes nothing.
 */
import { CommitError, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { common, gateway as gw, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
let gateway: Gateway;
let probe: Contract;

beforeAll(async () => {
  net = await startNetwork();
  gateway = net.gateway('Org1MSP');
  probe = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
});

afterAll(async () => {
  await net?.stop();
});

async function commitCode(fn: string, args: string[], endorsingOrganizations?: string[]): Promise<number> {
  const submitted = await probe.submitAsync(fn, { arguments: args, ...(endorsingOrganizations ? { endorsingOrganizations } : {}) });
  return (await submitted.getStatus()).code;
}

describe('state-based (key-level) endorsement, chaincode policy = both orgs', () => {
  let key: string;

  beforeAll(async () => {
    key = unique('sbe');
    await probe.submitTransaction('put', key, 'v0');
    await probe.submitTransaction('setKeyPolicy', key, 'Org2MSP');
  });

  it('rejects a write of the key endorsed by Org1 only (10) and keeps the value', async () => {
    expect(await commitCode('put', [key, 'org1'], ['Org1MSP'])).toBe(10);
    await expect(probe.submit('put', { arguments: [key, 'org1'], endorsingOrganizations: ['Org1MSP'] })).rejects.toThrow(CommitError);
    expect(text(await probe.evaluateTransaction('get', key))).toBe('v0');
  });

  it('accepts a write endorsed by Org2 alone: the chaincode policy is not applied', async () => {
    expect(await commitCode('put', [key, 'org2'], ['Org2MSP'])).toBe(0);
  });

  it('lets the gateway choose Org2 alone as endorser', async () => {
    const transaction = await probe.newProposal('put', { arguments: [key, 'chosen'] }).endorse();
    const envelope = gw.PreparedTransaction.deserializeBinary(transaction.getBytes()).getEnvelope() as common.Envelope;
    const action = peer.Transaction.deserializeBinary(common.Payload.deserializeBinary(envelope.getPayload_asU8()).getData_asU8()).getActionsList()[0] as peer.TransactionAction;
    const endorsements = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()?.getEndorsementsList() ?? [];
    expect(endorsements.map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid())).toEqual(['Org2MSP']);
    expect((await (await transaction.submit()).getStatus()).code).toBe(0);
  });

  it('applies the chaincode policy to read-only transactions and keys without a key policy', async () => {
    expect(await commitCode('get', [key], ['Org1MSP'])).toBe(10);
    expect(await commitCode('put', [unique('plain'), 'x'], ['Org1MSP'])).toBe(10);
    expect(await commitCode('del', [key], ['Org1MSP'])).toBe(10);
  });
});

/** Endorses `put key value` with both orgs, lets `forge` rewrite the endorsed action, submits. */
async function forgedCommitCode(key: string, forge: (action: peer.ChaincodeEndorsedAction) => void): Promise<number> {
  const transaction = await probe.newProposal('put', { arguments: [key, 'honest'] }).endorse();
  const prepared = gw.PreparedTransaction.deserializeBinary(transaction.getBytes());
  const envelope = prepared.getEnvelope() as common.Envelope;
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = tx.getActionsList()[0] as peer.TransactionAction;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction() as peer.ChaincodeEndorsedAction;
  forge(endorsed);
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  payload.setData(tx.serializeBinary());
  envelope.setPayload(payload.serializeBinary());
  envelope.setSignature(new Uint8Array()); // the client re-signs the forged envelope itself
  prepared.setEnvelope(envelope);
  const forged = gateway.newTransaction(prepared.serializeBinary());
  return (await (await forged.submit()).getStatus()).code;
}

describe('malicious endorsements are invalidated at commit', () => {
  it('tampered read-write set (value changed after endorsement)', async () => {
    const key = unique('evil');
    const code = await forgedCommitCode(key, (endorsed) => {
      const prp = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
      const chaincodeAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
      const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
      for (const ns of rwset.getNsRwsetList()) {
        const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
        for (const w of kv.getWritesList()) w.setValue(Buffer.from('tampered'));
        ns.setRwset(kv.serializeBinary());
      }
      chaincodeAction.setResults(rwset.serializeBinary());
      prp.setExtension$(chaincodeAction.serializeBinary());
      endorsed.setProposalResponsePayload(prp.serializeBinary());
    });
    expect(code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    expect(await probe.evaluateTransaction('get', key)).toHaveLength(0);
  });

  it('an endorsement whose signature does not verify', async () => {
    const key = unique('evil');
    const code = await forgedCommitCode(key, (endorsed) => {
      const [first] = endorsed.getEndorsementsList();
      const signature = Buffer.from(first?.getSignature_asU8() ?? []);
      signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 0xff, signature.length - 1);
      first?.setSignature(signature);
    });
    expect(code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
  });

  it('an endorsement claimed for the other org (Org1 signature under Org2 peer identity)', async () => {
    const key = unique('evil');
    const code = await forgedCommitCode(key, (endorsed) => {
      const list = endorsed.getEndorsementsList();
      const mspOf = (e: peer.Endorsement): string => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid();
      const org1 = list.find((e) => mspOf(e) === 'Org1MSP') as peer.Endorsement;
      // The Org2 peer's identity exactly as it endorses, so only the signature is wrong.
      const org2 = list.find((e) => mspOf(e) === 'Org2MSP') as peer.Endorsement;
      const fake = new peer.Endorsement();
      fake.setEndorser(org2.getEndorser_asU8());
      fake.setSignature(org1.getSignature_asU8());
      endorsed.setEndorsementsList([org1, fake]);
    });
    expect(code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
  });

  it('the unforged transaction built the same way commits VALID (control)', async () => {
    const key = unique('honest');
    expect(await forgedCommitCode(key, () => undefined)).toBe(0);
    expect(text(await probe.evaluateTransaction('get', key))).toBe('honest');
  });
});
