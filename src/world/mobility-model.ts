// The mobility contract: struct-of-arrays positions and the interface every model implements.
// Models import this module, never their factory (mobility.ts).
export interface Positions {
  xM: Float64Array;
  yM: Float64Array;
}

export interface MobilityModel {
  /** Advances every user by dtS seconds, staying inside the area. */
  step(pos: Positions, dtS: number): void;
  /** Sets the positions at time 0, for models that fix them (a trace); others keep the placement. */
  initial?(pos: Positions): void;
}
