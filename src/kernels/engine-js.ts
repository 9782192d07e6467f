// The pure-TS twins of the engine kernels, one entry per WASM export (src/kernels/engine-fns.ts).
import type { EngineFns, Twins } from "./engine-fns.js";
import { firstInvalidDecision } from "./decisions-js.js";
import { fillUniforms } from "./learner-io-js.js";
import { mfqLearnStates, mfqSelectStates } from "./mean-field-js.js";
import { rngDraws, rngWords } from "./rng-js.js";
import { gmInit, gmStep, placeUniform, rwpInit, rwpStep } from "./mobility-js.js";
import { associateLeastLoaded, associateNearest, gridBuild, nearestSites } from "./association-js.js";
import { arrive, completeTasks, prepareTasks } from "./traffic-js.js";
import { twinRequests, twinSync } from "./twin-js.js";
import { decide, encode } from "./encode-js.js";
import { greedyPolicy, nearestPolicy, randomPolicy } from "./baselines-js.js";
import { rewards } from "./rewards-js.js";
import { accumulate } from "./metrics-js.js";
import { firstBadSelect, firstBadLearn, firstBadUpload } from "./bounds-js.js";
import { optimumOptionCosts, optimumPolicy } from "./optimum-js.js";

export const ENGINE_TWINS: Twins<EngineFns> = {
  rngWords,
  rngDraws,
  fillUniforms,
  mfqSelectStates, mfqLearnStates,
  firstInvalidDecision,
  placeUniform, rwpInit, rwpStep, gmInit, gmStep,
  gridBuild, associateNearest, associateLeastLoaded, nearestSites,
  arrive, prepareTasks, completeTasks,
  twinRequests, twinSync,
  encode, decide,
  randomPolicy, nearestPolicy, greedyPolicy,
  rewards,
  accumulate,
  firstBadUpload, firstBadSelect, firstBadLearn,
  optimumPolicy, optimumOptionCosts,
};
