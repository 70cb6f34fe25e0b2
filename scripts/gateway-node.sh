#!/usr/bin/env bash
# Runs node with the memory settings of the gateway's process, for every way it is started:
# `npm start` (devnet thread and gateway in one process), the gateways `scripts/network.sh` starts
# beside real Fabric, and the benchmarks' `npm start` system (scripts/lib/gateway-process.js, as
# fork's execPath). One place, so that what the benchmarks measure is what operators run.
#
#   MALLOC_ARENA_MAX=2             glibc keeps freed buffers resident per arena; two arenas, not 8 per core
#   MALLOC_MMAP_THRESHOLD_=131072  buffers of 128 KiB or more (documents, blocks, gRPC frames) are
#   MALLOC_TRIM_THRESHOLD_=131072  mapped for themselves and go back to the system when freed; left
#                                  alone, glibc raises the threshold to the largest block freed
#   --max-semi-space-size=4        (HEALTHLEDGER_GATEWAY_SEMI_SPACE_MB) V8 sizes the young generation
#                                  to the allocation rate, not to what survives (two semi-spaces,
#                                  resident once used: 8 MB, where 8 kept 16; docs/performance.md, "Memory bounds")
#   --heap-growing-percent=50      (HEALTHLEDGER_HEAP_GROWING_PERCENT) a heap grows to 1.5x what
#                                  survived a full collection, not up to 4x; 0 leaves V8's factor
#   --expose-gc                    V8's gc, for the paths that let go of many large Buffers while
#                                  allocating little on the heap (network/fabric-core/src/memory/garbage.ts)
#   --no-parallel-scavenge         (HEALTHLEDGER_GATEWAY_PARALLEL_SCAVENGE=1 leaves it out) each thread
#                                  collects its young generation itself: V8's helper threads would
#                                  only compete with the process's other JS thread for two cores,
#                                  ~0.65 ms of CPU per REST submit more at 50 in flight (docs/performance.md,
#                                  "Young collections without helper threads")
#   --single-threaded-gc           only with HEALTHLEDGER_GATEWAY_SINGLE_THREADED_GC=1: each thread
#                                  collects its own heap, without V8's helper threads. Less CPU
#                                  per submit under load, but ~17 MB more RSS and no better
#                                  REST/direct ratio on a quiet machine (docs/performance.md, "REST vs direct")
#   --no-concurrent-marking        only with HEALTHLEDGER_GATEWAY_CONCURRENT_MARKING=0: each thread marks its
#                                  heap incrementally itself. ~0.5 ms of CPU per REST submit less in all,
#                                  no better REST/direct at 20 in five runs, and the content phase's RSS
#                                  ~12 MB higher (docs/performance.md, "REST latency at 20 in flight")
#
# Each keeps an operator's own value when set. The docs/performance.md ("Memory bounds") has the measurements.
# `exec`, so that the process signals reach, and whose PID is recorded, is node itself.
set -euo pipefail
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-131072}
gc_threads=()
if [ "${HEALTHLEDGER_GATEWAY_PARALLEL_SCAVENGE:-0}" != 1 ]; then gc_threads=(--no-parallel-scavenge); fi
if [ "${HEALTHLEDGER_GATEWAY_SINGLE_THREADED_GC:-0}" = 1 ]; then gc_threads+=(--single-threaded-gc); fi
if [ "${HEALTHLEDGER_GATEWAY_CONCURRENT_MARKING:-1}" != 1 ]; then gc_threads+=(--no-concurrent-marking); fi
exec node --max-semi-space-size="${HEALTHLEDGER_GATEWAY_SEMI_SPACE_MB:-4}" \
  --heap-growing-percent="${HEALTHLEDGER_HEAP_GROWING_PERCENT:-50}" --expose-gc "${gc_threads[@]}" "$@"
