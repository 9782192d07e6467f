// The learners' exploration uniforms, drawn in the kernels from the "policy" stream in kernel
// memory, so the host makes no per-agent loop.
import { uniform01 } from "./rng";

/** Called by the learner host once per slot (src/policy/learner.ts): `count` uniforms of the stream at `s` into `out` (f64). */
export function fillUniforms(s: usize, out: usize, count: i32): void {
  for (let i = 0; i < count; i++) store<f64>(out + (<usize>i << 3), uniform01(s));
}
