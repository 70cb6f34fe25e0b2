/**
 * A bounds-checked walk of an offline message's protobuf wire format, before google-protobuf
 * parses it.
 *
 * Why: google-protobuf 3.21's `readString` decodes up to the length the bytes declare without
 * checking it against the end of the buffer, one loop turn per declared byte, and only then reports
 * "Decoder hit an error". A string field that claims up to 4 GiB therefore costs up to ~50 s of
 * CPU: six bytes (`0a f1 93 e6 cc 72`, a `ProposedTransaction` whose transaction id claims ~3 GB)
 * held the gateway's thread for 4 s, 31 bytes for 49 s. The offline-signing endpoints take such
 * bytes from clients, and both this gateway (messages.ts) and fabric-gateway (`newProposal`,
 * `newTransaction`, `newCommit`) parse them with google-protobuf.
 *
 * So every message either of them decodes from a client's bytes is walked here first, with the
 * field layout it has in Fabric's protos: each length must fit inside its enclosing message, each
 * field the schema knows must have its wire type, each string must be UTF-8, groups (which
 * Fabric's protos never use) are refused, and bytes fields that are themselves parsed later (a proposal's header, an envelope's
 * payload) are walked as the message they hold. protobufjs's Reader (already the gateway's raw
 * block reader) checks every length against the buffer's end.
 */
import { Reader } from 'protobufjs/minimal';

/** What a known field holds: a scalar of a wire type, or a message (embedded, or serialized into bytes). */
type Field = 'varint' | 'string' | 'bytes' | { readonly message: string };

type MessageName = keyof typeof LAYOUTS;

const WIRE_VARINT = 0;
const WIRE_64BIT = 1;
const WIRE_DELIMITED = 2;
const WIRE_32BIT = 5;

/**
 * The fields google-protobuf reads as strings or messages in the messages an offline flow
 * decodes (field number → what it holds), from Fabric's protos as @hyperledger/fabric-protos
 * generates them. Bytes fields that are parsed later are listed as the message they hold.
 */
const LAYOUTS = {
  ProposedTransaction: { 1: 'string', 2: { message: 'SignedProposal' }, 3: 'string' },
  SignedProposal: { 1: { message: 'Proposal' }, 2: 'bytes' },
  Proposal: { 1: { message: 'Header' }, 2: 'bytes', 3: 'bytes' },
  Header: { 1: { message: 'ChannelHeader' }, 2: 'bytes' },
  ChannelHeader: { 1: 'varint', 2: 'varint', 3: { message: 'Timestamp' }, 4: 'string', 5: 'string', 6: 'varint', 7: 'bytes', 8: 'bytes' },
  Timestamp: { 1: 'varint', 2: 'varint' },
  PreparedTransaction: { 1: 'string', 2: { message: 'Envelope' } },
  Envelope: { 1: { message: 'Payload' }, 2: 'bytes' },
  Payload: { 1: { message: 'Header' }, 2: { message: 'Transaction' } },
  Transaction: { 1: { message: 'TransactionAction' } },
  TransactionAction: { 1: 'bytes', 2: { message: 'ChaincodeActionPayload' } },
  ChaincodeActionPayload: { 1: 'bytes', 2: { message: 'ChaincodeEndorsedAction' } },
  ChaincodeEndorsedAction: { 1: { message: 'ProposalResponsePayload' }, 2: { message: 'Endorsement' } },
  Endorsement: { 1: 'bytes', 2: 'bytes' },
  ProposalResponsePayload: { 1: 'bytes', 2: { message: 'ChaincodeAction' } },
  ChaincodeAction: { 1: 'bytes', 2: 'bytes', 3: { message: 'Response' }, 4: { message: 'ChaincodeID' } },
  Response: { 1: 'varint', 2: 'string', 3: 'bytes' },
  ChaincodeID: { 1: 'string', 2: 'string', 3: 'string' },
  SignedCommitStatusRequest: { 1: { message: 'CommitStatusRequest' }, 2: 'bytes' },
  CommitStatusRequest: { 1: 'string', 2: 'string', 3: 'bytes' },
} as const satisfies Record<string, Readonly<Record<number, Field>>>;

/** The outermost message of each offline kind. */
export const OFFLINE_ROOTS = {
  proposal: 'ProposedTransaction',
  transaction: 'PreparedTransaction',
  commit: 'SignedCommitStatusRequest',
} as const satisfies Record<string, MessageName>;

/** Bytes that are not a well-formed message of the expected layout; says why, never what they held. */
export class MalformedWire extends Error {}

/** Deeper than any message above nests; bounds the walk's recursion whatever the bytes say. */
const MAX_DEPTH = 16;

/**
 * Walks `bytes` as a `name` message.
 * @throws MalformedWire when a length runs past its message, a known field has another wire
 * type, or the bytes hold a group or an invalid wire type.
 */
export function checkWire(name: MessageName, bytes: Uint8Array): void {
  try {
    walk(name, bytes, 0);
  } catch (err) {
    if (err instanceof MalformedWire) throw err;
    // protobufjs's RangeError ("index out of range") or Error ("invalid wire type …").
    throw new MalformedWire(`${name}: a field runs past the end of its message or has an invalid wire type`);
  }
}

function walk(name: MessageName, bytes: Uint8Array, depth: number): void {
  if (depth > MAX_DEPTH) throw new MalformedWire(`${name}: nested too deeply`);
  const layout: Readonly<Record<number, Field>> = LAYOUTS[name];
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = readTag(reader, name);
    const wireType = tag & 7;
    const field = layout[tag >>> 3];
    if (field === undefined) {
      skipUnknown(reader, wireType, name);
    } else if (field === 'varint') {
      if (wireType !== WIRE_VARINT) throw wrongType(name, tag);
      skipVarint(reader, name);
    } else {
      if (wireType !== WIRE_DELIMITED) throw wrongType(name, tag);
      const content = reader.bytes();
      if (typeof field === 'object') walk(layoutName(field.message), content, depth + 1);
      else if (field === 'string') checkUtf8(name, tag, content);
    }
  }
}

/** A field the layout does not name: google-protobuf skips it, so only its bounds matter. */
function skipUnknown(reader: Reader, wireType: number, name: MessageName): void {
  if (wireType !== WIRE_VARINT && wireType !== WIRE_64BIT && wireType !== WIRE_DELIMITED && wireType !== WIRE_32BIT) {
    throw new MalformedWire(`${name}: wire type ${wireType} (groups and reserved types are not used by Fabric's messages)`);
  }
  if (wireType === WIRE_VARINT) skipVarint(reader, name);
  else reader.skipType(wireType);
}

/** A field's key: a varint of at most 5 bytes (32 bits), field number 1 or more, as encoders write it. */
function readTag(reader: Reader, name: MessageName): number {
  const start = reader.pos;
  const tag = reader.uint32();
  if (reader.pos - start > 5 || tag >>> 3 === 0) throw new MalformedWire(`${name}: a field key that is not one`);
  return tag;
}

/** A varint value: at most 10 bytes (64 bits); google-protobuf refuses a longer one differently. */
function skipVarint(reader: Reader, name: MessageName): void {
  const start = reader.pos;
  reader.skipType(WIRE_VARINT);
  if (reader.pos - start > 10) throw new MalformedWire(`${name}: a varint longer than 64 bits`);
}

/** A message name the layouts use for a field (each is a key of LAYOUTS: `satisfies` cannot say so without a cycle). */
function layoutName(message: string): MessageName {
  if (!Object.hasOwn(LAYOUTS, message)) throw new Error(`the wire layouts name a message they do not lay out: ${message}`);
  return message as MessageName;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A string field must be UTF-8, as protobuf requires and Fabric's Go peers enforce. google-protobuf
 * decodes a sequence cut off at the string's end by reading on past it, into the next field.
 */
function checkUtf8(name: MessageName, tag: number, content: Uint8Array): void {
  try {
    UTF8.decode(content);
  } catch {
    throw new MalformedWire(`${name}: field ${tag >>> 3} is not UTF-8`);
  }
}

function wrongType(name: MessageName, tag: number): MalformedWire {
  return new MalformedWire(`${name}: field ${tag >>> 3} has wire type ${tag & 7}`);
}
