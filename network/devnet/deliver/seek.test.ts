import { common, orderer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { DeliverStatusError, resolveSeek, type SeekSupport } from './seek';

/** A channel stand-in: channel `ch`, height 5, Readers satisfied by signature 'reader'. */
function fakeNet(): SeekSupport {
  return {
    config: {
      channelId: 'ch',
      aclPolicy: () => '/Channel/Application/Readers',
      evaluatePolicy: (_path: string, signed: Array<{ signature: Uint8Array }>) =>
        Buffer.from(signed[0]?.signature ?? []).toString() === 'reader' ? { ok: true } : { ok: false, message: 'denied' },
    },
    blocks: { height: 5n },
  } as unknown as SeekSupport;
}

function position(kind: 'oldest' | 'newest' | 'next' | number): orderer.SeekPosition {
  const p = new orderer.SeekPosition();
  if (kind === 'oldest') p.setOldest(new orderer.SeekOldest());
  else if (kind === 'newest') p.setNewest(new orderer.SeekNewest());
  else if (kind === 'next') p.setNextCommit(new orderer.SeekNextCommit());
  else {
    const s = new orderer.SeekSpecified();
    s.setNumber(kind);
    p.setSpecified(s);
  }
  return p;
}

function request(opts: { start?: orderer.SeekPosition; stop?: orderer.SeekPosition; channel?: string; signature?: string; time?: Date; failIfNotReady?: boolean }): common.Envelope {
  const seek = new orderer.SeekInfo();
  if (opts.start) seek.setStart(opts.start);
  if (opts.stop) seek.setStop(opts.stop);
  if (opts.failIfNotReady) seek.setBehavior(orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.DELIVER_SEEK_INFO);
  channelHeader.setChannelId(opts.channel ?? 'ch');
  channelHeader.setTimestamp(Timestamp.fromDate(opts.time ?? new Date()));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(Buffer.from('creator'));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(seek.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(Buffer.from(opts.signature ?? 'reader'));
  return env;
}

const FOREVER = position(Number.MAX_SAFE_INTEGER);

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeliverStatusError) return err.status;
    throw err;
  }
  return undefined;
}

describe('Deliver seek resolution', () => {
  const net = fakeNet();

  it('resolves oldest, newest, specified and next-commit starts', () => {
    expect(resolveSeek(net, request({ start: position('oldest'), stop: FOREVER }), 'event/Block')).toMatchObject({ start: 0n, stop: undefined });
    expect(resolveSeek(net, request({ start: position('newest'), stop: position('newest') }), 'event/Block')).toMatchObject({ start: 4n, stop: 4n });
    expect(resolveSeek(net, request({ start: position(2), stop: position(3) }), 'event/Block')).toMatchObject({ start: 2n, stop: 3n });
    expect(resolveSeek(net, request({ start: position('next'), stop: FOREVER }), 'event/Block')).toMatchObject({ start: 5n });
    // n == height waits for the next block rather than failing.
    expect(resolveSeek(net, request({ start: position(5), stop: FOREVER }), 'event/Block')).toMatchObject({ start: 5n });
  });

  it('answers NOT_FOUND beyond the height, for an unknown channel, and when not ready with FAIL_IF_NOT_READY', () => {
    expect(status(() => resolveSeek(net, request({ start: position(6), stop: FOREVER }), 'event/Block'))).toBe(common.Status.NOT_FOUND);
    expect(status(() => resolveSeek(net, request({ channel: 'nochannel', start: position(0), stop: FOREVER }), 'event/Block'))).toBe(common.Status.NOT_FOUND);
    expect(status(() => resolveSeek(net, request({ start: position(5), stop: FOREVER, failIfNotReady: true }), 'event/Block'))).toBe(common.Status.NOT_FOUND);
  });

  it('answers FORBIDDEN when the creator is not a reader', () => {
    expect(status(() => resolveSeek(net, request({ start: position(0), stop: FOREVER, signature: 'stranger' }), 'event/Block'))).toBe(common.Status.FORBIDDEN);
  });

  it('answers BAD_REQUEST for a missing position, a stop before the start, or a stale timestamp', () => {
    expect(status(() => resolveSeek(net, request({ start: position(0) }), 'event/Block'))).toBe(common.Status.BAD_REQUEST);
    expect(status(() => resolveSeek(net, request({ start: position(3), stop: position(1) }), 'event/Block'))).toBe(common.Status.BAD_REQUEST);
    expect(status(() => resolveSeek(net, request({ start: position(0), stop: FOREVER, time: new Date(Date.now() - 16 * 60_000) }), 'event/Block'))).toBe(common.Status.BAD_REQUEST);
    expect(status(() => resolveSeek(net, new common.Envelope(), 'event/Block'))).toBe(common.Status.BAD_REQUEST);
  });
});
