import { decodeWire } from '../protos/wire-check';
import { MspError } from './errors';
import type { Identity } from './identity';
import type { MspManager } from './manager';

/**
 * A proposal creator the channel refuses, with the endorser's text (docs/design/fabric-conformance.md l):
 * "access denied: channel [c] creator org unknown, creator is malformed" when the identity does
 * not deserialize (unknown MSP, certificate not chaining to the named MSP), otherwise
 * "access denied: channel [c] creator org [MSP]" (validation or signature failure). `cause`
 * holds the MSP's own error.
 */
export class CreatorError extends Error {
  constructor(
    message: string,
    override readonly cause: MspError,
  ) {
    super(message);
    this.name = 'CreatorError';
  }
}

function claimedMspId(creator: Uint8Array): string {
  try {
    return decodeWire('SerializedIdentity', creator).getMspid();
  } catch {
    return '';
  }
}

/** Deserializes, validates and checks the signature of a creator; throws {@link CreatorError}. */
export function checkCreator(msps: MspManager, channelId: string, creator: Uint8Array, data: Uint8Array, signature: Uint8Array): Identity {
  let identity: Identity;
  try {
    identity = msps.deserialize(creator);
  } catch (err) {
    if (!(err instanceof MspError)) throw err;
    throw new CreatorError(`access denied: channel [${channelId}] creator org unknown, creator is malformed`, err);
  }
  try {
    identity.validate();
    identity.verify(data, signature);
  } catch (err) {
    if (!(err instanceof MspError)) throw err;
    throw new CreatorError(`access denied: channel [${channelId}] creator org [${claimedMspId(creator)}]`, err);
  }
  return identity;
}
