// The pure-TS twins of the engine kernels, one entry per WASM export (src/kernels/engine-fns.ts).
import type { EngineFns, Twins } from "./engine-fns.js";
import { firstInvalidDecision } from "./decisions-js.js";
import { fillUniforms } from "./learner-io-js.js";
import { rngDraws, rngWords } from "./rng-js.js";
import { decide, encode } from "./encode-js.js";
import { greedyPolicy, nearestPolicy, randomPolicy } from "./baselines-js.js";
import { rewards } from "./rewards-js.js";
import { accumulate } from "./metrics-js.js";

export const ENGINE_TWINS: Twins<EngineFns> = {
  rngWords,
  rngDraws,
  fillUniforms,
  firstInvalidDecision,
  encode, decide,
  randomPolicy, nearestPolicy, greedyPolicy,
  rewards,
  accumulate,
};
