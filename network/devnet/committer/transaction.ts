/**
 * Decoding one block envelope for validation (docs/design/devnet-fidelity.md, "Validation at commit", steps 1–5 and 7): each layer that fails
 * to decode or to hold together yields the validation code Fabric assigns.
 */
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { sha256 } from '@healthledger/fabric-core/crypto';
import { computeTxId, decodeWire } from '@healthledger/fabric-core/protos';

const Code = peer.TxValidationCode;

/** An endorser transaction that passed the structural checks. */
export interface EndorserTransaction {
  readonly txId: string;
  readonly channelHeader: common.ChannelHeader;
  readonly creator: Uint8Array;
  readonly payloadBytes: Uint8Array;
  readonly signature: Uint8Array;
  /** Chaincode named in the ChannelHeader extension (the invoked chaincode). */
  readonly chaincodeName: string;
  /** The bytes every endorser signed (followed by its own identity). */
  readonly prpBytes: Uint8Array;
  readonly endorsements: peer.Endorsement[];
  readonly action: peer.ChaincodeAction;
  readonly rwset: ledger.rwset.TxReadWriteSet;
  /** Namespace read-write sets, decoded once. */
  readonly namespaces: NamespaceRwset[];
}

/** One namespace of a transaction's rwset, decoded. */
export interface NamespaceRwset {
  readonly namespace: string;
  readonly kv: ledger.rwset.kvrwset.KVRWSet;
  readonly collections: Array<{ name: string; hashed: ledger.rwset.kvrwset.HashedRWSet; pvtRwsetHash: Uint8Array }>;
}

/** Structural outcome: a decoded transaction, a config transaction, or a failure code. */
export type Unpacked =
  | { kind: 'endorser'; tx: EndorserTransaction }
  | { kind: 'config'; txId: string }
  | { kind: 'invalid'; code: number; txId: string };

class Invalid extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** One layer, decoded with `fn` (the wire check's decodeWire: the envelope is a client's); a failure is the layer's validation code. */
function decode<T>(code: number, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Invalid(code, `${what}: ${(err as Error).message}`);
  }
}

function decodeNamespaces(rwset: ledger.rwset.TxReadWriteSet): NamespaceRwset[] {
  const seen = new Set<string>();
  return rwset.getNsRwsetList().map((ns) => {
    const namespace = ns.getNamespace();
    if (seen.has(namespace)) throw new Invalid(Code.ILLEGAL_WRITESET, `namespace ${namespace} appears twice`);
    seen.add(namespace);
    return {
      namespace,
      kv: decode(Code.BAD_RWSET, 'KVRWSet', () => decodeWire('KVRWSet', ns.getRwset_asU8())),
      collections: ns.getCollectionHashedRwsetList().map((c) => ({
        name: c.getCollectionName(),
        hashed: decode(Code.BAD_RWSET, 'HashedRWSet', () => decodeWire('HashedRWSet', c.getHashedRwset_asU8())),
        pvtRwsetHash: c.getPvtRwsetHash_asU8(),
      })),
    };
  });
}

/**
 * Steps 1, 2, 4, 5 and 7 of the commit validation (signature checks need the MSPs and run in the committer).
 * `creatorValid` performs step 3 between 2 and 4.
 */
export function unpackTransaction(envelopeBytes: Uint8Array, creatorValid: (creator: Uint8Array, data: Uint8Array, signature: Uint8Array) => boolean): Unpacked {
  let txId = '';
  try {
    const envelope = decode(Code.NIL_ENVELOPE, 'Envelope', () => decodeWire('Envelope', envelopeBytes));
    const payloadBytes = envelope.getPayload_asU8();
    if (payloadBytes.length === 0) throw new Invalid(Code.NIL_ENVELOPE, 'empty payload');
    const payload = decode(Code.BAD_PAYLOAD, 'Payload', () => decodeWire('Payload', payloadBytes));
    const header = payload.getHeader();
    if (!header) throw new Invalid(Code.BAD_PAYLOAD, 'missing header');
    const channelHeaderBytes = header.getChannelHeader_asU8();
    const channelHeader = decode(Code.BAD_COMMON_HEADER, 'ChannelHeader', () => decodeWire('ChannelHeader', channelHeaderBytes));
    const signatureHeader = decode(Code.BAD_COMMON_HEADER, 'SignatureHeader', () => decodeWire('SignatureHeader', header.getSignatureHeader_asU8()));
    txId = channelHeader.getTxId();
    const type = channelHeader.getType();
    if (type === common.HeaderType.CONFIG) return { kind: 'config', txId };
    if (type !== common.HeaderType.ENDORSER_TRANSACTION) throw new Invalid(Code.UNKNOWN_TX_TYPE, `header type ${type}`);
    const creator = signatureHeader.getCreator_asU8();
    if (channelHeader.getEpoch() !== 0 || signatureHeader.getNonce_asU8().length === 0 || creator.length === 0) {
      throw new Invalid(Code.BAD_COMMON_HEADER, 'bad common header');
    }
    const signature = envelope.getSignature_asU8();
    if (!creatorValid(creator, payloadBytes, signature)) throw new Invalid(Code.BAD_CREATOR_SIGNATURE, 'creator signature');
    if (computeTxId(signatureHeader.getNonce_asU8(), creator) !== txId) throw new Invalid(Code.BAD_PROPOSAL_TXID, 'txid');
    return { kind: 'endorser', tx: endorserTransaction(txId, channelHeader, channelHeaderBytes, creator, payloadBytes, signature, payload.getData_asU8()) };
  } catch (err) {
    if (err instanceof Invalid) return { kind: 'invalid', code: err.code, txId };
    throw err;
  }
}

function endorserTransaction(
  txId: string,
  channelHeader: common.ChannelHeader,
  channelHeaderBytes: Uint8Array,
  creator: Uint8Array,
  payloadBytes: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
): EndorserTransaction {
  const bad = Code.INVALID_ENDORSER_TRANSACTION;
  const transaction = decode(bad, 'Transaction', () => decodeWire('Transaction', data));
  const actions = transaction.getActionsList();
  const first = actions[0];
  if (actions.length !== 1 || !first) throw new Invalid(bad, `expected one action, found ${actions.length}`);
  const actionHeaderBytes = first.getHeader_asU8();
  const actionHeader = decode(bad, 'action SignatureHeader', () => decodeWire('SignatureHeader', actionHeaderBytes));
  if (actionHeader.getNonce_asU8().length === 0 || actionHeader.getCreator_asU8().length === 0) throw new Invalid(bad, 'action header');
  const actionPayload = decode(bad, 'ChaincodeActionPayload', () => decodeWire('ChaincodeActionPayload', first.getPayload_asU8()));
  const endorsed = actionPayload.getAction();
  if (!endorsed) throw new Invalid(bad, 'no endorsed action');
  const prpBytes = endorsed.getProposalResponsePayload_asU8();
  const prp = decode(bad, 'ProposalResponsePayload', () => decodeWire('ProposalResponsePayload', prpBytes));
  const proposalHash = sha256(channelHeaderBytes, actionHeaderBytes, actionPayload.getChaincodeProposalPayload_asU8());
  if (!proposalHash.equals(Buffer.from(prp.getProposalHash_asU8()))) throw new Invalid(bad, 'proposal hash mismatch');
  const action = decode(bad, 'ChaincodeAction', () => decodeWire('ChaincodeAction', prp.getExtension_asU8()));

  // Step 7: chaincode checks.
  const extension = decode(Code.BAD_HEADER_EXTENSION, 'ChaincodeHeaderExtension', () => decodeWire('ChaincodeHeaderExtension', channelHeader.getExtension_asU8()));
  const chaincodeName = extension.getChaincodeId()?.getName() ?? '';
  const actionChaincode = action.getChaincodeId();
  if (!chaincodeName || actionChaincode?.getName() !== chaincodeName || !actionChaincode.getVersion()) {
    throw new Invalid(Code.INVALID_CHAINCODE, 'chaincode id mismatch');
  }
  const eventBytes = action.getEvents_asU8();
  if (eventBytes.length > 0) {
    const event = decode(Code.INVALID_OTHER_REASON, 'ChaincodeEvent', () => decodeWire('ChaincodeEvent', eventBytes));
    if (event.getChaincodeId() !== chaincodeName) throw new Invalid(Code.INVALID_OTHER_REASON, 'event chaincode id mismatch');
  }
  const rwset = decode(Code.BAD_RWSET, 'TxReadWriteSet', () => decodeWire('TxReadWriteSet', action.getResults_asU8()));
  return {
    txId,
    channelHeader,
    creator,
    payloadBytes,
    signature,
    chaincodeName,
    prpBytes,
    endorsements: endorsed.getEndorsementsList(),
    action,
    rwset,
    namespaces: decodeNamespaces(rwset),
  };
}
