// The arrays one environment step fills for all agents at once, laid out in one buffer in the
// order the Python bridge reads them (docs/python.md "Protocol"): a 16-byte header (slot,
// flags, users, features: i32 each), then reward f64[m], features f32[m*F], state i32[m],
// mask i8[m*7], active u8[m], masked u8[m]. The server sends the buffer as the step's reply
// without copying; the vectorised environment writes into it.
import { ACTIONS } from "../policy/encoding.js";

/** Flag bit of the header: the episode ended with this step (every agent truncated). */
export const DONE = 1;
const HEADER_BYTES = 16;

export class StepArrays {
  /** The whole payload: header then arrays. */
  readonly bytes: Uint8Array;
  /** slot (of the observation), flags (DONE), users, features. */
  readonly header: Int32Array;
  readonly reward: Float64Array;
  readonly features: Float32Array;
  readonly state: Int32Array;
  /** Row-major [m][ACTIONS]: 1 where the action is allowed. */
  readonly mask: Int8Array;
  readonly active: Uint8Array;
  /** 1 where the agent's action of the step just taken was masked and ran as action 0 (all local). */
  readonly masked: Uint8Array;

  /** `offset`: bytes left free before the payload in `bytes.buffer` (the server's frame header); a multiple of 8. */
  constructor(readonly users: number, readonly featureCount: number, offset = 0) {
    const m = users, f = featureCount;
    const size = HEADER_BYTES + 8 * m + 4 * m * f + 4 * m + ACTIONS * m + m + m;
    const buffer = new ArrayBuffer(offset + size);
    this.bytes = new Uint8Array(buffer, offset, size);
    let at = offset;
    const take = <T>(make: (b: ArrayBuffer, at: number, n: number) => T, n: number, width: number): T => {
      const view = make(buffer, at, n);
      at += n * width;
      return view;
    };
    this.header = take((b, o, n) => new Int32Array(b, o, n), 4, 4);
    this.reward = take((b, o, n) => new Float64Array(b, o, n), m, 8);
    this.features = take((b, o, n) => new Float32Array(b, o, n), m * f, 4);
    this.state = take((b, o, n) => new Int32Array(b, o, n), m, 4);
    this.mask = take((b, o, n) => new Int8Array(b, o, n), m * ACTIONS, 1);
    this.active = take((b, o, n) => new Uint8Array(b, o, n), m, 1);
    this.masked = take((b, o, n) => new Uint8Array(b, o, n), m, 1);
    this.header[2] = m;
    this.header[3] = f;
  }
}
