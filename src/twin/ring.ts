// Fixed-size histories for many entities at once: one typed array of entities x length,
// written at every twin sync. All entities share the write position, so a million users'
// histories are two flat arrays and no per-user objects.

export class RingHistory<A extends Float64Array | Int32Array> {
  private writes = 0;

  constructor(readonly entities: number, readonly length: number, readonly data: A) {
    if (data.length !== entities * length) throw new RangeError(`ring: expected ${entities * length} values, got ${data.length}`);
  }

  static f64(entities: number, length: number): RingHistory<Float64Array> {
    return new RingHistory(entities, length, new Float64Array(entities * length));
  }

  static i32(entities: number, length: number): RingHistory<Int32Array> {
    return new RingHistory(entities, length, new Int32Array(entities * length));
  }

  /** Appends one value per entity (the whole `values` array: one sync). */
  push(values: ArrayLike<number>): void {
    const col = this.writes % this.length;
    for (let e = 0; e < this.entities; e++) this.data[e * this.length + col] = values[e];
    this.writes++;
  }

  /** How many syncs are held (at most `length`). */
  get size(): number {
    return Math.min(this.writes, this.length);
  }

  /** Entity e's value `lag` syncs ago (0 = the latest); lag must be < size. */
  at(e: number, lag: number): number {
    if (lag >= this.size) throw new RangeError(`ring: lag ${lag} beyond the ${this.size} values held`);
    return this.data[e * this.length + ((this.writes - 1 - lag) % this.length)];
  }
}
