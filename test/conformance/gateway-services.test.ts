/**
 * Conformance (docs/design/fabric-conformance.md, "Other observations"): Submit and CommitStatus failures as
 * the client sees them — orderer rejection, unknown transaction, unknown channel.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { CommitStatusError, GatewayError, signers, type Contract, type Gateway, type SubmitError } from '@hyperledger/fabric-gateway';
import { gateway as gw, msp } from '@hyperledger/fabric-protos';
import { CHAINCODE, CHANNEL, startNetwork, unique, type ConformanceNetwork } from './harness';

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

/** An unsigned SignedCommitStatusRequest for `txId` on `channel` as Org1's user1. */
function commitRequest(txId: string, channel: string): Uint8Array {
  const identity = new msp.SerializedIdentity();
  identity.setMspid('Org1MSP');
  identity.setIdBytes(net.user('Org1MSP', 'user1').certPem);
  const request = new gw.CommitStatusRequest();
  request.setTransactionId(txId);
  request.setChannelId(channel);
  request.setIdentity(identity.serializeBinary());
  const signed = new gw.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  return signed.serializeBinary();
}

describe('Submit', () => {
  it('refuses an envelope signed by a key other than the creator\'s: SubmitError 10 with the orderer\'s FORBIDDEN text, nothing ordered', async () => {
    const transaction = await probe.newProposal('put', { arguments: [unique('forbidden'), 'x'] }).endorse();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherSigner = signers.newPrivateKeySigner(createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })));
    const signature = await otherSigner(transaction.getDigest());
    const height = await net.height();
    const err = (await gateway.newSignedTransaction(transaction.getBytes(), signature).submit().catch((e: unknown) => e)) as SubmitError;
    // SubmitError is exported as a type only; it is a GatewayError carrying the transaction id.
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.name).toBe('SubmitError');
    expect(err.transactionId).toBe(transaction.getTransactionId());
    expect(err.code).toBe(10);
    expect(err.message).toBe(
      "10 ABORTED: received unsuccessful response from orderer: status=FORBIDDEN, info=implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied",
    );
    expect(err.details).toEqual([]);
    // Nothing was ordered: the next transaction gets the very next block, and the ledger does not
    // know the refused one.
    const next = await probe.submitAsync('put', { arguments: [unique('next'), 'x'] });
    expect((await next.getStatus()).blockNumber).toBe(height);
    const lookup = await gateway.getNetwork(CHANNEL).getContract('qscc').evaluateTransaction('GetTransactionByID', CHANNEL, transaction.getTransactionId()).catch((e: unknown) => e);
    expect(lookup).toBeInstanceOf(GatewayError);
    expect((lookup as GatewayError).message).toContain(`no such transaction ID [${transaction.getTransactionId()}] in index`);
  });
});

describe('CommitStatus', () => {
  it('waits for an unknown transaction until the client deadline: CommitStatusError 4', async () => {
    const commit = gateway.newCommit(commitRequest(unique('unknown'), CHANNEL));
    const err = (await commit.getStatus({ deadline: Date.now() + 500 }).catch((e: unknown) => e)) as CommitStatusError;
    expect(err).toBeInstanceOf(CommitStatusError);
    expect(err.code).toBe(4);
    // The peer gives up under the propagated deadline at about the moment the client's own timer
    // fires; on Fabric either wins: the peer's text, or grpc-js's with its timings.
    expect(err.message).toMatch(/^4 DEADLINE_EXCEEDED: (context deadline exceeded$|Deadline exceeded after [0-9.]+s,)/);
  });

  it('answers PERMISSION_DENIED for an unknown channel', async () => {
    const commit = gateway.newCommit(commitRequest('abc', 'nochannel'));
    const err = (await commit.getStatus().catch((e: unknown) => e)) as CommitStatusError;
    expect(err).toBeInstanceOf(CommitStatusError);
    expect(err.code).toBe(7);
    expect(err.message).toBe('7 PERMISSION_DENIED: Failed to get policy manager for channel [nochannel]');
  });

  it('reports a transaction that commits while the request waits', async () => {
    const transaction = await probe.newProposal('put', { arguments: [unique('late'), 'x'] }).endorse();
    const pending = gateway.newCommit(commitRequest(transaction.getTransactionId(), CHANNEL)).getStatus();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await transaction.submit();
    await expect(pending).resolves.toMatchObject({ code: 0, successful: true, transactionId: transaction.getTransactionId() });
  });
});
