import { common, gateway, ledger, peer } from '@hyperledger/fabric-protos';
import { checkWire, decodeWire, MalformedWire, type MessageName } from './wire-check';
import { LAYOUTS, MAP_ENTRIES, MESSAGE_TYPES, type Field } from './wire-layouts';

type Read = 'readString' | 'readMessage';
/** One field google-protobuf's generated reader decodes as a string or a nested message: with which, and into what. */
interface Structured {
  field: number;
  read: Read;
  /** The class a message field decodes into (its last name), or the map's key and value readers. */
  into: string | undefined;
}

/** The string and message fields of a generated class, from its `deserializeBinaryFromReader`. */
function structuredFields(type: { deserializeBinaryFromReader: (...args: never[]) => unknown }): Structured[] {
  const source = String(type.deserializeBinaryFromReader);
  // Each `case N:` up to its `break` is one field's decoding.
  return [...source.matchAll(/case (\d+):([\s\S]*?)break;/g)].flatMap((m) => {
    const body = m[2] ?? '';
    const read = /reader\.(readString|readMessage)\(/.exec(body)?.[1];
    if (read !== 'readString' && read !== 'readMessage') return [];
    const map = /jspb\.Map\.deserializeBinary/.test(body) ? [...body.matchAll(/prototype\.(read\w+)/g)].map((r) => r[1]).join(',') : undefined;
    const into = map ?? /new ([\w$.]+)/.exec(body)?.[1]?.split('.').pop();
    return [{ field: Number(m[1]), read, into }];
  });
}

function walked(name: MessageName, bytes: Uint8Array, deep = false): string | undefined {
  try {
    checkWire(name, bytes, { deep });
    return undefined;
  } catch (err) {
    if (err instanceof MalformedWire) return err.message;
    throw err;
  }
}

const layoutOf = (name: MessageName): Readonly<Record<number, Field>> => LAYOUTS[name];

describe('the layouts', () => {
  it('hold every field google-protobuf reads as a string or a message, with that kind', () => {
    for (const [name, type] of Object.entries(MESSAGE_TYPES) as [keyof typeof MESSAGE_TYPES, (typeof MESSAGE_TYPES)[keyof typeof MESSAGE_TYPES]][]) {
      for (const { field, read, into } of structuredFields(type)) {
        const known = layoutOf(name)[field];
        // Bad UTF-8 is refused only in a field the walk knows as a string; a nested length past its
        // end only in one it walks as a message.
        const badString = walked(name, Uint8Array.from([(field << 3) | 2, 1, 0xff]));
        const badNested = walked(name, Uint8Array.from([(field << 3) | 2, 2, (15 << 3) | 2, 0x7f]));
        if (read === 'readString') {
          expect([name, field, badString]).toEqual([name, field, `${name}: field ${field} is not UTF-8`]);
        } else {
          expect([name, field, typeof known === 'object' && 'message' in known]).toEqual([name, field, true]);
          expect([name, field, badNested]).toEqual([name, field, expect.stringContaining('runs past the end')]);
          const nested = (known as { message: MessageName }).message;
          if ((MAP_ENTRIES as readonly string[]).includes(nested)) {
            // A map: the entry's key is a string, its value what the map's value reader reads.
            const [keyRead, valueRead] = (into ?? '').split(',');
            const entry = layoutOf(nested);
            expect([name, field, keyRead, entry[1]]).toEqual([name, field, 'readString', 'string']);
            const valueKind = typeof entry[2] === 'object' ? 'readMessage' : entry[2] === 'string' ? 'readString' : 'readBytes';
            expect([name, field, valueRead]).toEqual([name, field, valueKind]);
          } else if (into !== 'Timestamp') {
            // The nested layout decodes with the class google-protobuf decodes the field into.
            expect([name, field, MESSAGE_TYPES[nested as keyof typeof MESSAGE_TYPES]]).toEqual([name, field, MESSAGE_TYPES[into as keyof typeof MESSAGE_TYPES]]);
          }
        }
      }
    }
  });

  it('name only messages they lay out, and a class for every message that is not a map entry', () => {
    for (const [name, layout] of Object.entries(LAYOUTS) as [MessageName, Readonly<Record<number, Field>>][]) {
      for (const field of Object.values(layout)) {
        if (typeof field === 'object') expect([name, Object.hasOwn(LAYOUTS, 'message' in field ? field.message : field.holds)]).toEqual([name, true]);
      }
      const decodable = Object.hasOwn(MESSAGE_TYPES, name) || (MAP_ENTRIES as readonly string[]).includes(name) || name === 'Timestamp';
      expect([name, decodable]).toEqual([name, true]);
    }
  });

  it('are checked by a regular expression that finds fields (a check that checks nothing would pass too)', () => {
    expect(structuredFields(common.ChannelHeader)).toEqual([
      { field: 3, read: 'readMessage', into: 'Timestamp' },
      { field: 4, read: 'readString', into: undefined },
      { field: 5, read: 'readString', into: undefined },
    ]);
    expect(structuredFields(peer.ChaincodeProposalPayload)).toEqual([{ field: 2, read: 'readMessage', into: 'readString,readBytes' }]);
    expect(structuredFields(ledger.rwset.kvrwset.KVRead)).toEqual([
      { field: 1, read: 'readString', into: undefined },
      { field: 2, read: 'readMessage', into: 'Version' },
    ]);
  });
});

describe('the walk', () => {
  it('refuses a length that claims more than the bytes hold, before google-protobuf reads it', () => {
    // Found by the random-bytes fuzz: google-protobuf spent 4 s on the first and 49 s on the second.
    expect(walked('ProposedTransaction', Buffer.from('0af193e6cc72', 'hex'))).toContain('runs past the end');
    const channelHeader = Buffer.from('22a6a6ddc319c9f67f8f9c54ce62afdb855e9af9576ebddc5454fc0f9503ba', 'hex');
    const header = new common.Header();
    header.setChannelHeader(channelHeader);
    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(proposal.serializeBinary());
    const proposed = new gateway.ProposedTransaction();
    proposed.setTransactionId('tx1');
    proposed.setProposal(signed);
    expect(walked('ProposedTransaction', proposed.serializeBinary(), true)).toBe('ChannelHeader: a field runs past the end of its message or has an invalid wire type');
    // A shallow walk leaves the proposal bytes to the check where they are decoded.
    expect(walked('ProposedTransaction', proposed.serializeBinary())).toBeUndefined();
    expect(() => decodeWire('ChannelHeader', channelHeader)).toThrow(MalformedWire);
  });

  it('refuses a known field with another wire type, a group, or nesting beyond reason', () => {
    expect(walked('CommitStatusRequest', Uint8Array.from([0x08, 0x01]))).toBe('CommitStatusRequest: field 1 has wire type 0');
    expect(walked('ChannelHeader', Uint8Array.from([0x0a, 0x00]))).toBe('ChannelHeader: field 1 has wire type 2');
    expect(walked('Endorsement', Uint8Array.from([0x1b, 0x1c]))).toContain('wire type 3');
    // A config group tree: each level a map entry (field 2) holding the next group (field 2).
    const groupTree = (levels: number): Uint8Array => {
      let bytes = Uint8Array.from([]);
      for (let i = 0; i < levels; i++) bytes = Buffer.concat([Uint8Array.from([0x12]), encodeLength(bytes.length), bytes]);
      return bytes;
    };
    expect(walked('ConfigGroup', groupTree(30))).toBeUndefined();
    expect(walked('ConfigGroup', groupTree(40))).toContain('nested too deeply');
  });

  it('skips unknown fields within their bounds, as google-protobuf skips them', () => {
    expect(walked('CommitStatusRequest', Uint8Array.from([0x48, 0x96, 0x01, 0x52, 0x01, 0x00, 0x5d, 1, 2, 3, 4, 0x61, 1, 2, 3, 4, 5, 6, 7, 8]))).toBeUndefined();
    expect(walked('CommitStatusRequest', Uint8Array.from([0x52, 0x05, 0x00]))).toContain('runs past the end');
    expect(walked('CommitStatusRequest', Uint8Array.from([0x5d, 1, 2]))).toContain('runs past the end');
  });

  it('refuses a string that is not UTF-8, which google-protobuf would decode into something else', () => {
    const bad = Uint8Array.from([0x22, 0x02, 0xc3, 0x28]);
    expect(common.ChannelHeader.deserializeBinary(bad).getChannelId()).not.toBe('');
    expect(() => decodeWire('ChannelHeader', bad)).toThrow('ChannelHeader: field 4 is not UTF-8');
    expect(decodeWire('ChannelHeader', Uint8Array.from([0x22, 0x02, 0xc3, 0xa9])).getChannelId()).toBe('é');
  });

  it('passes a whole endorser transaction with every field google-protobuf reads, deep, and a 4 MiB bytes field', () => {
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(3);
    channelHeader.setChannelId('healthchannel');
    channelHeader.setTxId('tx1');
    channelHeader.setEpoch(7);
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(Buffer.from('0a00', 'hex'));
    const response = new peer.Response();
    response.setStatus(200);
    response.setMessage('ok');
    response.setPayload(Buffer.alloc(4 * 1024 * 1024, 0xff));
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName('records');
    const write = new ledger.rwset.kvrwset.KVWrite();
    write.setKey('k');
    write.setValue(Buffer.from('v'));
    const kv = new ledger.rwset.kvrwset.KVRWSet();
    kv.addWrites(write);
    const ns = new ledger.rwset.NsReadWriteSet();
    ns.setNamespace('records');
    ns.setRwset(kv.serializeBinary());
    const rwset = new ledger.rwset.TxReadWriteSet();
    rwset.addNsRwset(ns);
    const action = new peer.ChaincodeAction();
    action.setResults(rwset.serializeBinary());
    action.setResponse(response);
    action.setChaincodeId(chaincodeId);
    const responsePayload = new peer.ProposalResponsePayload();
    responsePayload.setProposalHash(Buffer.alloc(32, 1));
    responsePayload.setExtension$(action.serializeBinary());
    const endorsement = new peer.Endorsement();
    endorsement.setSignature(Buffer.from('signature'));
    const endorsed = new peer.ChaincodeEndorsedAction();
    endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
    endorsed.addEndorsements(endorsement);
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setAction(endorsed);
    const transactionAction = new peer.TransactionAction();
    transactionAction.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.addActions(transactionAction);
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(transaction.serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());
    const prepared = new gateway.PreparedTransaction();
    prepared.setTransactionId('tx1');
    prepared.setEnvelope(envelope);
    expect(walked('PreparedTransaction', prepared.serializeBinary(), true)).toBeUndefined();
    // A key that is not UTF-8 inside the rwset.
    expect(walked('KVRWSet', Uint8Array.from([0x1a, 3, 0x0a, 1, 0xff]))).toBe('KVWrite: field 1 is not UTF-8');
  });
});

/** A varint length prefix. */
function encodeLength(n: number): Uint8Array {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Uint8Array.from(out);
}
