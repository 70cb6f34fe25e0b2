/**
 * A bounds-checked walk of a protobuf message's wire format, before google-protobuf decodes it.
 *
 * Why: google-protobuf 3.21's `readString` decodes up to the length the bytes declare without
 * checking it against the end of the buffer, one loop turn per declared byte, and only then reports
 * "Decoder hit an error". A string field that claims up to 4 GiB therefore costs up to ~50 s of
 * CPU: six bytes (`0a f1 93 e6 cc 72`, a `ProposedTransaction` whose transaction id claims ~3 GB)
 * held a thread for 4 s, 31 bytes for 49 s. Both the devnet (every request its gRPC services
 * receive, and the bytes nested in them) and the gateway (the offline-signing endpoints, whose
 * messages it and fabric-gateway decode) take such bytes from clients; Fabric's Go peers refuse
 * them at once.
 *
 * So every message either of them decodes from a client's bytes is walked here first, with the
 * field layout it has in Fabric's protos (wire-layouts.ts): each length must fit inside its
 * enclosing message, each field the layout knows must have its wire type, each string must be
 * UTF-8 (as Go's protobuf requires of proto3 strings; google-protobuf would decode bad UTF-8
 * silently), groups (which Fabric's protos never use) are refused. protobufjs's Reader checks every
 * length against the buffer's end. The walk reads only keys and lengths: a bytes field is skipped
 * whatever its size, so a 4 MiB document costs a few dozen field keys.
 */
import { Reader } from 'protobufjs/minimal';
import { LAYOUTS, MESSAGE_TYPES, type DecodableName, type Field, type MessageName } from './wire-layouts';

export { MESSAGE_TYPES, type DecodableName, type MessageName } from './wire-layouts';

/** Bytes that are not a well-formed message of the expected layout; says why, never what they held. */
export class MalformedWire extends Error {
  override readonly name = 'MalformedWire';
}

/** How far a walk goes. */
export interface WireCheckOptions {
  /**
   * Also walk the bytes fields that hold a serialized message (a proposal's header, an envelope's
   * payload), as the message they hold. A caller that hands the bytes to code decoding every layer
   * (fabric-gateway) walks deep; one that decodes each layer itself checks each where it decodes
   * it, so a malformed layer is answered as Fabric answers that layer.
   */
  readonly deep?: boolean;
}

const WIRE_VARINT = 0;
const WIRE_64BIT = 1;
const WIRE_DELIMITED = 2;
const WIRE_32BIT = 5;

/** Deeper than any Fabric message nests (a config group tree included); bounds the recursion whatever the bytes say. */
const MAX_DEPTH = 32;

/**
 * Walks `bytes` as a `name` message.
 * @throws MalformedWire when a length runs past its message, a known field has another wire
 * type, a string is not UTF-8, or the bytes hold a group or an invalid wire type.
 */
export function checkWire(name: MessageName, bytes: Uint8Array, options: WireCheckOptions = {}): void {
  walk(name, bytes, 0, options.deep === true);
}

/**
 * Walks `bytes` as a `name` message (shallow: the messages serialized into its bytes fields are
 * checked where they are decoded), then decodes it with its generated class.
 * @throws MalformedWire as {@link checkWire}; google-protobuf's own error for what the walk lets
 * through and google-protobuf refuses.
 */
export function decodeWire<N extends DecodableName>(name: N, bytes: Uint8Array): ReturnType<(typeof MESSAGE_TYPES)[N]['deserializeBinary']> {
  walk(name, bytes, 0, false);
  return MESSAGE_TYPES[name].deserializeBinary(bytes) as ReturnType<(typeof MESSAGE_TYPES)[N]['deserializeBinary']>;
}

function walk(name: MessageName, bytes: Uint8Array, depth: number, deep: boolean): void {
  if (depth > MAX_DEPTH) throw new MalformedWire(`${name}: nested too deeply`);
  const layout: Readonly<Record<number, Field>> = LAYOUTS[name];
  const reader = Reader.create(bytes);
  try {
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
        if (field === 'string') checkUtf8(name, tag, content);
        else if (typeof field === 'object') {
          if ('message' in field) walk(layoutName(field.message), content, depth + 1, deep);
          else if (deep) walk(layoutName(field.holds), content, depth + 1, deep);
        }
      }
    }
  } catch (err) {
    if (err instanceof MalformedWire || err instanceof LayoutError) throw err;
    // protobufjs's RangeError ("index out of range") or Error ("invalid wire type …").
    throw new MalformedWire(`${name}: a field runs past the end of its message or has an invalid wire type`);
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
  if (!Object.hasOwn(LAYOUTS, message)) throw new LayoutError(`the wire layouts name a message they do not lay out: ${message}`);
  return message as MessageName;
}

/** A mistake in the layouts themselves (the tests keep them whole), never the bytes' fault. */
class LayoutError extends Error {}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A string field must be UTF-8, as protobuf requires and Fabric's Go peers enforce. google-protobuf
 * decodes a sequence cut off at the string's end by reading on past it, into the next field.
 */
function checkUtf8(name: MessageName, tag: number, content: Uint8Array): void {
  if (content.length === 0) return;
  try {
    UTF8.decode(content);
  } catch {
    throw new MalformedWire(`${name}: field ${tag >>> 3} is not UTF-8`);
  }
}

function wrongType(name: MessageName, tag: number): MalformedWire {
  return new MalformedWire(`${name}: field ${tag >>> 3} has wire type ${tag & 7}`);
}
