/**
 * Memory pacing for the processes that move blocks, proposals and large bodies over Fabric's
 * wires: the gateway (whatever ledger it talks to) and the devnet. See ./garbage.ts.
 */
export {
  collectBeforeLongRead,
  exposedGc,
  GarbageMeter,
  BODY_GARBAGE_BYTES,
  LARGE_BODY_BYTES,
  LONG_READ_BLOCKS,
  STREAM_GARBAGE_BYTES,
  type CollectGarbage,
} from './garbage';
