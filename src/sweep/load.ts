// Loading a scenario for a sweep: the file read (a regular file under a size cap), its trace
// file read, checked and hashed, the sweep expanded into points and trials, and every limit
// checked before anything large is listed or allocated: the trial count arithmetically
// (src/scenario/limits.ts), then each point's memory estimate (src/sweep/memory.ts), and only
// then the trace parsed for each point's user count.
import { basename, dirname, resolve } from "node:path";
import type { TrialSpec } from "../contracts/trial-spec.js";
import { FileRefused } from "../input-file.js";
import { DEFAULT_LIMITS, formatCount, MAX_TRIAL_USER_SLOTS, type Limits } from "../scenario/limits.js";
import { heldOutEvery } from "../scenario/held-out.js";
import { applyOverrides, parseScenario, scenarioObject, type ScenarioOverrides } from "../scenario/load.js";
import type { Scenario } from "../scenario/schema.js";
import { policyNames } from "../scenario/plugin-entry.js";
import { userCount } from "../scenario/users.js";
import { InputError, quote, readJsonFile } from "../validation.js";
import { parseTrace, readTraceText, traceSha256 } from "../world/trace.js";
import { expandPoints, expandTrials, type SweepPoint } from "./expand.js";
import { MAX_MACHINE_BYTES } from "../kernels/machine.js";
import { LEARNERS } from "./cost.js";
import { estimateTrialMemory, formatGiB } from "./memory.js";
import { hashPlugins, unhashedPlugins } from "./plugins.js";

export type { ScenarioOverrides } from "../scenario/load.js";

export interface LoadedScenario {
  name: string;
  /** The scenario with every default filled in. */
  scenario: Scenario;
  points: SweepPoint[];
  trials: TrialSpec[];
  /** The scenario file's folder (trace files, plug-in modules), or null. */
  baseDir: string | null;
}

export interface ResolveOptions {
  fallbackName?: string;
  /**
   * The scenario file's folder: trace files and plug-in modules are read from there, checked
   * and hashed into the config or the policy entry (so a changed trace or plug-in is a
   * different trial). Without it (re-reading a result folder's scenario.json), the recorded
   * hashes are trusted.
   */
  baseDir?: string;
  /** Caps on trials and per-trial memory (default DEFAULT_LIMITS; UNLIMITED for a result folder's scenario). */
  limits?: Limits;
}

/** Validates a parsed scenario completely (limits, sweep points and trace files included): nothing runs on bad input. */
export function resolveScenario(raw: unknown, source: string, o: ResolveOptions = {}): LoadedScenario {
  const limits = o.limits ?? DEFAULT_LIMITS;
  let input = scenarioObject(raw, source);
  const trace = o.baseDir !== undefined ? readTrace(input, o.baseDir, source) : undefined;
  if (trace) input = { ...input, mobility: { ...(input.mobility as object), sha256: trace.sha256 } };
  if (o.baseDir !== undefined) input = hashPlugins(input, o.baseDir, source);
  const scenario = parseScenario(input, source, limits);
  unhashedPlugins(scenario.policies, source);
  const name = scenario.name ?? o.fallbackName ?? "scenario";
  const points = expandPoints(input, scenario, source);
  checkMemory(points, scenario, source, limits);
  checkLength(points, scenario, source, limits);
  if (trace) {
    const checked = new Set<string>();
    for (const p of points) {
      const key = JSON.stringify([userCount(p.config), p.config.area]);
      if (!checked.has(key)) parseTrace(trace.text, trace.path, userCount(p.config), p.config.area);
      checked.add(key);
    }
  }
  const baseDir = o.baseDir ?? null;
  return { name, scenario: { ...scenario, name }, points, trials: expandTrials(name, points, scenario.policies, scenario.seeds, baseDir), baseDir };
}

/** Refuses every point whose trial is estimated above the memory cap, saying the estimate and the fields behind it. */
function checkMemory(points: SweepPoint[], scenario: Scenario, source: string, limits: Limits): void {
  if (!Number.isFinite(limits.maxMemoryBytes)) return;
  const issues = new Set<string>();
  for (const p of points) {
    const e = estimateTrialMemory(p.config, policyNames(scenario.policies));
    const overCap = e.bytes > limits.maxMemoryBytes, overKernel = e.kernelBytes > MAX_MACHINE_BYTES;
    if (!overCap && !overKernel) continue;
    const at = Object.keys(p.values).length ? `sweep point (${Object.entries(p.values).map(([k, v]) => `${k}=${quote(v)}`).join(", ")}): ` : "";
    const parts = e.terms.filter((t) => t.bytes >= e.bytes / 100).map((t) => `${t.field} ${formatGiB(t.bytes)}`).join(", ");
    const m = userCount(p.config);
    const what = `${at}${e.terms[0].field}: one trial needs an estimated ${formatGiB(e.bytes)} (${formatCount(m)} users x ${formatCount(p.config.sites.count)} sites; ${parts}), `;
    issues.add(overCap
      ? `${what}above the cap of ${formatGiB(limits.maxMemoryBytes)} per trial (raise it with --max-memory-gib G)`
      : `${what}of which ${formatGiB(e.kernelBytes)} in its kernel memory, above the ${formatGiB(MAX_MACHINE_BYTES)} one WebAssembly memory holds (both backends keep this limit)`);
  }
  if (issues.size) throw new InputError(source, [...issues]);
}

/** Refuses every point whose trial would simulate more user-slots than the limit, naming the field that makes it long. */
function checkLength(points: SweepPoint[], scenario: Scenario, source: string, limits: Limits): void {
  const max = limits.maxUserSlots ?? MAX_TRIAL_USER_SLOTS;
  if (!Number.isFinite(max)) return;
  const issues = new Set<string>();
  for (const p of points) {
    const c = p.config, l = c.learning, users = userCount(c);
    const learner = policyNames(scenario.policies).some((q) => LEARNERS.has(q));
    const every = heldOutEvery(l);
    const parts: [string, number][] = [
      ["slots", c.slots],
      ["learning.episodes x learning.slotsPerEpisode", learner ? l.episodes * l.slotsPerEpisode : 0],
      ["learning.heldOut", learner && every > 0 ? (Math.floor(l.episodes / every) + 1) * l.heldOut.worlds * l.heldOut.slots : 0],
    ];
    const slots = parts.reduce((a, [, s]) => a + s, 0);
    if (!(users * slots > max)) continue;
    const [field] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
    const at = Object.keys(p.values).length ? `sweep point (${Object.entries(p.values).map(([k, v]) => `${k}=${quote(v)}`).join(", ")}): ` : "";
    issues.add(`${at}${field}: one trial would simulate ${formatCount(users)} users x ${formatCount(slots)} slots = ${formatCount(users * slots)} user-slots, above the ${formatCount(max)} a trial may run`);
  }
  if (issues.size) throw new InputError(source, [...issues]);
}

function readTrace(raw: Record<string, unknown>, baseDir: string, source: string): { text: string; path: string; sha256: string } | undefined {
  const m = raw.mobility as { model?: unknown; file?: unknown; sha256?: unknown } | undefined;
  if (!m || m.model !== "trace" || typeof m.file !== "string") return undefined;
  const path = resolve(baseDir, m.file);
  let text: string;
  try {
    text = readTraceText(path);
  } catch (e) {
    if (e instanceof FileRefused) throw new InputError(source, [`mobility.file: ${path}: ${e.reason}`]);
    throw e;
  }
  const sha256 = traceSha256(text);
  if (m.sha256 !== undefined && m.sha256 !== sha256) throw new InputError(source, [`mobility.sha256: ${path} has changed since (its SHA-256 is ${sha256})`]);
  return { text, path, sha256 };
}

/** Reads, checks and expands a scenario file. */
export function loadScenario(path: string, overrides: ScenarioOverrides = {}, limits: Limits = DEFAULT_LIMITS): LoadedScenario {
  const raw = applyOverrides(scenarioObject(readJsonFile(path), path), overrides);
  return resolveScenario(raw, path, { fallbackName: basename(path).replace(/\.json$/i, ""), baseDir: dirname(resolve(path)), limits });
}
