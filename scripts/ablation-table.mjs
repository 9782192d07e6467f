// The learners' ablation table of docs/model.md "## Learning", from the result folders of
// scenarios/learners-ablation-*.json: one row per sweep point, IL and JAL's mean latency and
// their paired differences (seed by seed) to greedy and to all-local with 95 % t-intervals,
// sorted by reward form, gamma and step size.
//
//   node bin/twinedge.js run scenarios/learners-ablation-visits.json --out results/ablation/visits --no-figures
//   node bin/twinedge.js run scenarios/learners-ablation-constant.json --out results/ablation/constant --no-figures
//   node bin/twinedge.js run scenarios/learners-ablation-floor.json --out results/ablation/floor --no-figures
//   node scripts/ablation-table.mjs results/ablation/constant results/ablation/visits results/ablation/floor [--metric latencyS]
//
// Reads each folder's summary.csv and paired.csv (written by `twinedge run`); prints Markdown.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "./read-csv.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--metric");
const metric = at >= 0 ? args.splice(at, 2)[1] : "latencyS";
if (args.length === 0) {
  console.error("usage: node scripts/ablation-table.mjs <result folder>... [--metric latencyS]");
  process.exit(2);
}


const num = (x, d = 3) => Number(x).toFixed(d);
const diff = (r) => (r ? `${Number(r.meanDiff) >= 0 ? "+" : ""}${num(r.meanDiff)} [${num(r.ci95Low)}, ${num(r.ci95High)}]` : "n/a");

/** Rows sorted by reward form (-T first), gamma, step size (constant first), then step value from large to small. */
const rows = [];
let baselines;
for (const dir of args) {
  const scenario = JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8"));
  const fixed = scenario.learning ?? {};
  const summary = readCsv(join(dir, "summary.csv")).filter((r) => r.metric === metric);
  const paired = readCsv(join(dir, "paired.csv")).filter((r) => r.metric === metric);
  const axes = Object.keys(summary[0]).filter((k) => k.includes("."));
  const key = (r) => axes.map((a) => r[a]).join("|");
  const points = [...new Set(summary.map(key))];
  for (const p of points) {
    const here = (rows) => rows.filter((r) => key(r) === p);
    const s = here(summary), d = here(paired);
    const values = Object.fromEntries(axes.map((a) => [a, s[0][a]]));
    const setting = (name) => values[`learning.${name}`] ?? fixed[name];
    const stepSize = setting("stepSize") ?? "visits";
    const step = stepSize === "constant" ? `α = ${setting("alpha")}` : `1/n, floor ${setting("alphaMin")}`;
    const mean = (policy) => s.find((r) => r.policy === policy)?.mean;
    const vs = (policy, ref) => d.find((r) => r.policy === policy && r.reference === ref);
    baselines ??= { local: mean("local"), random: mean("random"), greedy: mean("greedy"), n: s[0].n };
    const form = setting("rewardForm") ?? "negLatency";
    const order = [form === "negLatency" ? 0 : 1, Number(setting("gamma") ?? 0), stepSize === "constant" ? 0 : 1, -Number(stepSize === "constant" ? setting("alpha") : setting("alphaMin"))];
    rows.push({ order, line: `| ${form} | ${setting("gamma") ?? 0} | ${step} | ${num(mean("il"))} | ${diff(vs("il", "greedy"))} | ${diff(vs("il", "local"))} | ${num(mean("jal"))} | ${diff(vs("jal", "greedy"))} | ${diff(vs("jal", "local"))} |` });
  }
}
console.log(`${metric}, mean over ${baselines.n} seeds; baselines: local ${num(baselines.local)}, random ${num(baselines.random)}, greedy ${num(baselines.greedy)}.`);
console.log("Differences are learner minus reference, paired by seed, with a 95 % t-interval (negative: the learner is faster).\n");
console.log("| reward | γ | step size | IL | IL − greedy | IL − local | JAL | JAL − greedy | JAL − local |");
console.log("|---|---|---|---|---|---|---|---|---|");
const before = (a, b) => a.order.findIndex((x, k) => x !== b.order[k]);
rows.sort((a, b) => {
  const k = before(a, b);
  return k < 0 ? 0 : a.order[k] - b.order[k];
});
for (const r of rows) console.log(r.line);
