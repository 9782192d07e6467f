// The experiment tables of docs/model.md "## The paper's experiments", from result folders of
// `npm run paper` (results/paper/fig5, results/paper/fig6) or any folder with one sweep axis:
// the mean of a metric per point and policy, then paired differences (mean [95 % t-interval],
// seeds lower out of n) for the pairs asked for, then the learners' training curves if it has any.
//
//   node scripts/paper-tables.mjs results/paper/fig5 [--metric latencyS] [--pairs jal-il,il-greedy,...]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "./read-csv.mjs";

const args = process.argv.slice(2);
const take = (flag, dflt) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : dflt;
};
const metric = take("--metric", "latencyS");
const pairs = take("--pairs", "jal-il,il-greedy,jal-greedy,il-optimum,jal-optimum,il-local,jal-local,il-random,jal-random").split(",").map((p) => p.split("-"));
const dir = args[0];
if (!dir || args.length !== 1) {
  console.error("usage: node scripts/paper-tables.mjs RESULT_DIR [--metric latencyS] [--pairs a-b,c-d]");
  process.exit(2);
}


const summary = readCsv(join(dir, "summary.csv")).filter((r) => r.metric === metric);
const paired = readCsv(join(dir, "paired.csv")).filter((r) => r.metric === metric);
const axes = Object.keys(summary[0]).slice(0, Object.keys(summary[0]).indexOf("policy"));
const pointOf = (r) => axes.map((a) => r[a]).join(", ");
const points = [...new Set(summary.map(pointOf))];
const policies = [...new Set(summary.map((r) => r.policy))];
const f3 = (x) => Number(x).toFixed(3);
const signed = (x) => `${Number(x) >= 0 ? "+" : "−"}${Math.abs(Number(x)).toFixed(3)}`;

console.log(`| ${axes.join(", ")} | ${policies.join(" | ")} |`);
console.log(`|${"---|".repeat(policies.length + 1)}`);
for (const p of points) {
  const at = summary.filter((r) => pointOf(r) === p);
  console.log(`| ${p} | ${policies.map((q) => f3(at.find((r) => r.policy === q)?.mean ?? NaN)).join(" | ")} |`);
}
console.log();
const shown = pairs.filter(([a, b]) => policies.includes(a) && policies.includes(b));
console.log(`| ${axes.join(", ")} | ${shown.map(([a, b]) => `${a} − ${b}`).join(" | ")} |`);
console.log(`|${"---|".repeat(shown.length + 1)}`);
for (const p of points) {
  const cells = shown.map(([a, b]) => {
    const r = paired.find((x) => pointOf(x) === p && x.policy === a && x.reference === b);
    return r ? `${signed(r.meanDiff)} [${signed(r.ci95Low)}, ${signed(r.ci95High)}] (${Math.round(Number(r.shareLower) * Number(r.n))}/${r.n})` : "n/a";
  });
  console.log(`| ${p} | ${cells.join(" | ")} |`);
}

// The learners' training curves (docs/model.md "Fig. 4"), from trials.jsonl: per point and
// learner, the mean over seeds of the on-policy training reward over windows of 100 episodes (fewer when training is shorter),
// and of the held-out greedy evaluation's latency at every evaluated episode.
const records = readFileSync(join(dir, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l))
  .filter((r) => r.status === "ok" && r.training);
if (records.length > 0) {
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const p of points) {
    for (const learner of policies) {
      const rs = records.filter((r) => r.policy === learner && axes.map((a) => String(r.point[a])).join(", ") === p);
      if (rs.length === 0) continue;
      const episodes = rs[0].training.rewardByEpisode.length;
      const w = Math.min(100, episodes);
      const starts = [0, 500, 1000, 1500, episodes - w].filter((s, k, all) => s + w <= episodes && all.indexOf(s) === k);
      const windows = starts.map((s) => {
        const xs = rs.flatMap((r) => r.training.rewardByEpisode.slice(s, s + w).filter((x) => x !== null));
        return `${s + 1}-${s + w}: ${xs.length ? mean(xs).toFixed(2) : "n/a"}`;
      });
      console.log(`\n${axes.join(", ")} = ${p}, ${learner} (${rs.length} seeds): training reward per agent-step, ${windows.join("; ")}`);
      const h = rs[0].training.heldOut;
      if (h) console.log(`  held-out latencyS: ${h.episode.map((e, k) => `${e}: ${mean(rs.map((r) => r.training.heldOut.latencyS[k])).toFixed(3)}`).join(", ")}`);
    }
  }
}
