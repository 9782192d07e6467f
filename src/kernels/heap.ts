// Typed views over one kernel memory: the WASM instance's linear memory or, for the JS
// backend, an ArrayBuffer of its own. The pure-TS twins of the kernels take a Heap and the
// same byte offsets the WASM exports take, and index it as the kernels load and store:
// f64[p >>> 3], i32[p >>> 2], u32[p >>> 2], u8[p] (unsigned shifts: offsets reach 4 GiB).
export class Heap {
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly u8: Uint8Array;

  constructor(readonly buffer: ArrayBuffer) {
    this.f64 = new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
    this.i32 = new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
    this.u32 = new Uint32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
    this.u8 = new Uint8Array(buffer);
  }
}
