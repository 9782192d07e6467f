// WebAssembly kernels of twinedge. Flat functions over numbers and pointers into this
// module's linear memory; the host (src/kernels/wasm.ts) lays out the buffers.
export { channel } from "./channel";
export { latency } from "./latency";
export { ilSelect, ilLearn, jalSelect, jalLearn, mfqSelect, mfqLearn } from "./learning";
export { mfqSelectStates, mfqLearnStates } from "./mean-field";
export { rngWords, rngDraws } from "./rng";
export { refuseInfeasible } from "./admission";
export { fillUniforms } from "./learner-io";
export { firstInvalidDecision } from "./decisions";
export { placeUniform, rwpInit, rwpStep, gmInit, gmStep } from "./mobility";
export { gridBuild, associateNearest, associateLeastLoaded, nearestSites } from "./association";
export { arrive, prepareTasks, completeTasks } from "./traffic";
export { twinRequests, twinSync } from "./twin";
export { encode, decide } from "./encode";
export { randomPolicy, nearestPolicy, greedyPolicy } from "./baselines";
export { rewards } from "./rewards";
export { accumulate } from "./metrics";
export { optimumPolicy, optimumOptionCosts } from "./optimum";

/** Called by the host at start-up: first byte of linear memory free for its buffers. */
export function heapBase(): usize {
  return __heap_base;
}

export { firstBadUpload, firstBadSelect, firstBadLearn } from "./bounds";
