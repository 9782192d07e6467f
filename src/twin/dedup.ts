// Identical requests fetched once: when several users request the same task type in a
// slot, the twin fetches that type's information once. Tasks without a catalogue type are
// all distinct. Counts requests and bits asked for against those actually fetched.

export class RequestDedup {
  requests = 0;
  fetches = 0;
  bitsRequested = 0;
  bitsFetched = 0;
  private readonly seenAt: Int32Array;

  constructor(types: number) {
    this.seenAt = new Int32Array(Math.max(types, 0)).fill(-1);
  }

  /** Counts one slot's requests: type per user (-1 untyped) and bits, for active users. */
  slot(slot: number, active: Int32Array, type: Int32Array, bits: Float64Array): void {
    for (let i = 0; i < active.length; i++) {
      if (!active[i]) continue;
      this.requests++;
      this.bitsRequested += bits[i];
      const t = type[i];
      if (t >= 0 && this.seenAt[t] === slot) continue;
      if (t >= 0) this.seenAt[t] = slot;
      this.fetches++;
      this.bitsFetched += bits[i];
    }
  }
}
