// Synthetic trial records for the figure tests: only the metrics a test names carry values,
// so drawFigures draws only their figures (a metric with no finite value gets none).
import { METRICS, type MetricName, type Metrics } from "../src/contracts/record.js";
import type { TrialRecord } from "../src/contracts/record.js";

export type Point = Record<string, number | string | boolean>;

export function trialRecords(
  points: readonly Point[],
  policies: readonly string[],
  seeds: readonly number[],
  metricsOf: (point: Point, policy: string, seed: number) => Partial<Record<MetricName, number>>,
): TrialRecord[] {
  const out: TrialRecord[] = [];
  for (const point of points) {
    for (const policy of policies) {
      for (const seed of seeds) {
        const metrics = Object.fromEntries(METRICS.map((m) => [m, null])) as Metrics;
        Object.assign(metrics, metricsOf(point, policy, seed));
        out.push({
          id: `${JSON.stringify(point)}-${policy}-${seed}`, scenario: "synthetic", point, policy, seed, backend: "js",
          codeHash: "test", wasmSha256: null, status: "ok", users: 10, sites: 1, slots: 10, metrics,
        } as TrialRecord);
      }
    }
  }
  return out;
}
