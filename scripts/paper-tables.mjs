// The experiment tables of docs/model.md "## The paper's experiments", from result folders of
// `npm run paper` (results/paper/fig5, results/paper/fig6) or any folder with one sweep axis:
// the mean of a metric per point and policy, then paired differences (mean [95 % t-interval],
// seeds lower out of n) for the pairs asked for.
//
//   node scripts/paper-tables.mjs results/paper/fig5 [--metric latencyS] [--pairs jal-il,il-greedy,...]
import { readFileSync } from "node:fs";
import { join } from "node:path";

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

/** Rows of a CSV without quoted commas (what twinedge writes for these files). */
function readCsv(path) {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const names = head.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, k) => [names[k], v])));
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
