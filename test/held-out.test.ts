// The held-out greedy evaluation during training (learning.heldOut, Fig. 4's companion): it
// runs after every `every` episodes and after the last, on worlds no training episode sees,
// and leaves the training exactly as it was without it.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drawRewardCurves } from "../src/results/figures/curve.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";
import type { TrialRecord } from "../src/contracts/record.js";

const raw = (heldOut: object) => ({
  slots: 30, seeds: [3], policies: ["il", "jal"], sites: { count: 3 }, users: { perSite: 6 }, tasks: { arrivalRate: 0.2 },
  learning: { episodes: 7, slotsPerEpisode: 10, heldOut },
});
const ok = (r: TrialRecord) => { if (r.status !== "ok") throw new Error(r.error); return r; };

describe("held-out evaluation", () => {
  for (const backend of ["wasm", "js"] as const) {
    it(`runs after every k episodes and the last, without changing the training (${backend})`, () => {
      const on = resolveScenario(raw({ every: 3, worlds: 2, slots: 8 }), "s.json").trials;
      const off = resolveScenario(raw({ every: 0 }), "s.json").trials;
      for (let k = 0; k < on.length; k++) {
        const a = ok(runTrial(on[k], backend).record), b = ok(runTrial(off[k], backend).record);
        expect(a.training!.heldOut!.episode).toEqual([3, 6, 7]);
        expect(a.training!.heldOut!.latencyS.every((x) => typeof x === "number" && x > 0)).toBe(true);
        expect(a.training!.heldOut!.responseS.every((x, i) => x! >= a.training!.heldOut!.latencyS[i]!)).toBe(true);
        expect(b.training!.heldOut).toBeUndefined();
        // The same training curve, and the same evaluation: the tables came back exactly.
        expect(a.training!.rewardByEpisode).toEqual(b.training!.rewardByEpisode);
        expect(a.metrics).toEqual(b.metrics);
      }
    });
  }

  it("defaults to a twentieth of the episodes, and draws its figure beside the training curve", async () => {
    const trials = resolveScenario({ ...raw({}), learning: { episodes: 40, slotsPerEpisode: 5 } }, "s.json").trials;
    const records = trials.map((t) => ok(runTrial(t, "wasm").record));
    expect(records[0].training!.heldOut!.episode).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40]);
    const dir = mkdtempSync(join(tmpdir(), "twinedge-heldout-"));
    await drawRewardCurves(dir, records, ["il", "jal"], { notify: () => {} });
    const files = readdirSync(join(dir, "figures"));
    expect(files).toEqual(expect.arrayContaining(["rewardByEpisode.svg", "heldOutLatencyS.svg", "heldOutLatencyS.data.csv"]));
    const rows = readFileSync(join(dir, "figures", "heldOutLatencyS.data.csv"), "utf8").trim().split("\n");
    expect(rows).toHaveLength(1 + 2 * 20);
    expect(rows[1].split(",").slice(0, 3)).toEqual(["il", "2", "1"]);
  });
});
