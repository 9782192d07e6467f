// Next-cell prediction from the twin's history, each predictor scored against what happened.
//
// - stay: the user stays in its cell (the trivial baseline).
// - velocity: constant-velocity extrapolation of the last displacement, one sync ahead; the
//   predicted cell is the site nearest to the extrapolated position.
// - markov: a first-order Markov chain learned online from every user's history. Its state is
//   the cell, the user's offset from the cell's site in a 4 x 4 grid of bins, and the heading
//   octant of the last displacement (8 octants or still). The cell alone would predict "stay"
//   everywhere, since staying is every cell's likeliest transition at slot scale: where in the
//   cell the user is, and which way it heads, is what tells which edge it is about to cross.
import { BINS, HEADINGS, headingOctant, STATES_PER_CELL } from "../kernels/twin-js.js";
import { closestSites } from "../world/association.js";
import type { Sites } from "../world/topology.js";

const PREDICTORS = ["stay", "velocity", "markov"] as const;
export type PredictorName = (typeof PREDICTORS)[number];


export interface PredictionScore {
  hits: number;
  total: number;
}

/** The constant-velocity position forecast, scored by its error in metres. */
export interface PositionScore {
  errorM: number;
  total: number;
}

/** One sync of each user: cell now, and the displacement since the previous sync. */
export interface SyncView {
  users: number;
  x: Float64Array;
  y: Float64Array;
  dx: Float64Array;
  dy: Float64Array;
  cell: Int32Array;
  /** False at the first sync: no displacement or previous prediction yet. */
  hasPrevious: boolean;
}

export class NextCellPredictors {
  /** Each predictor's prediction, per user, made at the latest sync for the next one. */
  readonly predicted: Record<PredictorName, Int32Array>;
  readonly score: Record<PredictorName, PredictionScore>;
  /** Each user's position extrapolated to the next sync (constant velocity). */
  readonly predictedX: Float64Array;
  readonly predictedY: Float64Array;
  readonly positionScore: PositionScore = { errorM: 0, total: 0 };
  private readonly counts: Int32Array;
  private readonly prevState: Int32Array;
  private readonly idx = new Int32Array(1);
  private readonly d2 = new Float64Array(1);

  /**
   * `cellScaleM`: about half a cell's width; offsets within +-cellScaleM are binned finely.
   * `used`: the predictor the twin serves; only it and "stay" (the baseline) are kept up to
   * date, since each of the others costs O(users x sites) per sync.
   */
  constructor(users: number, private readonly sites: Sites, private readonly cellScaleM: number, private readonly used: PredictorName = "markov") {
    this.predicted = { stay: new Int32Array(users).fill(-1), velocity: new Int32Array(users).fill(-1), markov: new Int32Array(users).fill(-1) };
    this.score = { stay: { hits: 0, total: 0 }, velocity: { hits: 0, total: 0 }, markov: { hits: 0, total: 0 } };
    this.counts = new Int32Array(sites.count * STATES_PER_CELL * sites.count);
    this.prevState = new Int32Array(users).fill(-1);
    this.predictedX = new Float64Array(users).fill(NaN);
    this.predictedY = new Float64Array(users).fill(NaN);
  }

  /** Scores the previous predictions against this sync, learns from it, predicts the next. */
  update(v: SyncView): void {
    const n = this.sites.count;
    const velocity = this.used === "velocity", markov = this.used === "markov";
    const stay = this.predicted.stay, usedGuess = this.predicted[this.used];
    const stayScore = this.score.stay, usedScore = this.score[this.used];
    for (let i = 0; i < v.users; i++) {
      const cell = v.cell[i];
      if (stay[i] >= 0) {
        stayScore.total++;
        if (stay[i] === cell) stayScore.hits++;
        if (usedScore !== stayScore) {
          usedScore.total++;
          if (usedGuess[i] === cell) usedScore.hits++;
        }
      }
      if (!Number.isNaN(this.predictedX[i])) {
        this.positionScore.errorM += Math.hypot(this.predictedX[i] - v.x[i], this.predictedY[i] - v.y[i]);
        this.positionScore.total++;
      }
      this.predictedX[i] = v.hasPrevious ? v.x[i] + v.dx[i] : v.x[i];
      this.predictedY[i] = v.hasPrevious ? v.y[i] + v.dy[i] : v.y[i];
      stay[i] = cell;
      if (velocity) this.predicted.velocity[i] = v.hasPrevious ? this.nearest(this.predictedX[i], this.predictedY[i]) : cell;
      if (markov) {
        const prev = this.prevState[i];
        if (prev >= 0) this.counts[prev * n + cell]++;
        const state = v.hasPrevious ? this.state(cell, v.x[i], v.y[i], v.dx[i], v.dy[i]) : -1;
        this.prevState[i] = state;
        this.predicted.markov[i] = state < 0 ? cell : this.likeliest(state, cell);
      }
    }
  }

  private state(cell: number, x: number, y: number, dx: number, dy: number): number {
    const bin = (d: number): number => Math.min(BINS - 1, Math.max(0, Math.floor(((d / this.cellScaleM) + 1) * (BINS / 2))));
    const pos = bin(x - this.sites.xM[cell]) * BINS + bin(y - this.sites.yM[cell]);
    return (cell * BINS * BINS + pos) * HEADINGS + headingOctant(dx, dy);
  }

  private nearest(x: number, y: number): number {
    closestSites(this.sites, x, y, 1, this.idx, this.d2);
    return this.idx[0];
  }

  /** The most frequent successor of `state`; staying wins ties, and unseen states stay. */
  private likeliest(state: number, cell: number): number {
    const n = this.sites.count, row = state * n;
    let best = cell, bestCount = this.counts[row + cell];
    for (let c = 0; c < n; c++) {
      if (this.counts[row + c] > bestCount) {
        best = c;
        bestCount = this.counts[row + c];
      }
    }
    return best;
  }
}
