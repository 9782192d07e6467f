// An estimate of one trial's memory, from its configuration alone, so a configuration that
// cannot fit (users.total: 1e9 would run to hundreds of GiB) is refused before anything is
// allocated. The formula, for M users, N sites, history length H, K catalogue types:
//
//   slot layout       SlotLayout.byteLength(M, N)                       (exact: src/layout.ts)
//   per-user state    M x 640 B      kernel memory: task rings (16 tasks x 24 B), mobility
//                                     state, twin observation and predictions, encoder,
//                                     rewards (about 560 B), plus the host's migration arrays
//   authentication    M x 1 KiB      when auth.mode is not "off" (session and certificate caches)
//   per-site state    N x 256 B
//   twin histories    M x H x 24 B + N x H x 4 B    (x, y as f64; cell, request as i32; site load)
//   cell predictor    N x 144 x (N + 2) x 4 B       (Markov counts, and each state's best cell and its count: src/twin/twin-state.ts)
//   site lookups      2 x lookupBytes(N), about 2 x 1.2 KiB per site   (the world's and the twin's: src/kernels/site-lookup.ts)
//   catalogue         K x 28 B                      (bits, cycles per bit, CDF; dedup stamp)
//   learner tables    2 x T x S x A x max(B, 1) x 8 B + T x S x R x B x 8 B + M x 84 B
//                     (Q values and their visit counts, JAL beliefs; per agent the step's
//                     arrays, its pending decision and its reward),
//                     S = 36 N states, A = 7 actions, B = 5 buckets and R = 3 site roles
//                     for JAL (0 for IL),
//                     T = M, N or 1 tables (learning.sharing); only with il, jal or mfq policies
//                     (mfq: S x K states, K = 5 mean-action bins, B = 0; the largest learner counts);
//                     and as much again on the host while a held-out evaluation runs (learning.heldOut)
//   task records      M x slots x arrivalRate x 160 B    with output.taskRecords
//   optimum scratch   M x 124 B + N x 384 B (rounded up to 16 B per array), with the optimum policy
//                     (exact: src/kernels/optimum-js.ts optimumScratchBytes)
//
// A plug-in policy (docs/plugins.md) adds no term: it holds nothing in the kernel memory, and
// what it keeps on the JavaScript heap is its own (about a baseline's few arrays per user).
//
// It is an estimate (the JavaScript heap adds its own overhead), meant to refuse the
// impossible up front, not to plan a cluster job to the byte.
import { ACTIONS, BUCKETS, MEAN_BINS, ROLES, STATES_PER_CELL } from "../policy/encoding.js";
import { SlotLayout } from "../layout.js";
import { lookupBytes } from "../kernels/site-lookup.js";
import { optimumScratchBytes } from "../kernels/optimum-js.js";
import { STATES_PER_CELL as PREDICTOR_STATES_PER_CELL } from "../kernels/twin-js.js";
import { GIB } from "../scenario/limits.js";
import type { TrialConfig } from "../scenario/schema.js";
import { heldOutEvery } from "../scenario/held-out.js";
import { userCount } from "../scenario/users.js";

const PER_USER_BYTES = 640;
const AUTH_PER_USER_BYTES = 1024;
const PER_SITE_BYTES = 256;
const HISTORY_USER_BYTES = 24;
const HISTORY_SITE_BYTES = 4;
const CATALOGUE_TYPE_BYTES = 28;
const LEARNER_AGENT_BYTES = 84;
const TASK_RECORD_BYTES = 160;

interface MemoryTerm {
  /** The scenario field(s) that drive this term. */
  field: string;
  bytes: number;
}

export interface MemoryEstimate {
  bytes: number;
  /** The part in the trial's one kernel memory (all but authentication and task records): at most 4 GiB. */
  kernelBytes: number;
  /** Largest first. */
  terms: MemoryTerm[];
}

/** Terms held by the host, outside the kernel memory. */
const HOST_FIELDS = new Set(["auth.mode", "output.taskRecords", "learning.heldOut"]);

/** The estimated peak memory of one trial of `config` under the worst of `policies` (names). */
export function estimateTrialMemory(config: TrialConfig, policies: readonly string[]): MemoryEstimate {
  const m = userCount(config), n = config.sites.count, h = config.twin.historyLength;
  const usersField = config.users.total !== undefined ? "users.total" : "users.perSite x sites.count";
  const terms: MemoryTerm[] = [
    { field: usersField, bytes: layoutBytes(m, n) + m * PER_USER_BYTES + n * PER_SITE_BYTES },
    { field: "twin.historyLength", bytes: h * (m * HISTORY_USER_BYTES + n * HISTORY_SITE_BYTES) },
    { field: "sites.count", bytes: n * PREDICTOR_STATES_PER_CELL * (n + 2) * 4 + 2 * lookupBytes(n) },
  ];
  if (config.auth.mode !== "off") terms.push({ field: "auth.mode", bytes: m * AUTH_PER_USER_BYTES });
  const types = config.tasks.catalogue?.types ?? 0;
  if (types > 0) terms.push({ field: "tasks.catalogue.types", bytes: types * CATALOGUE_TYPE_BYTES });
  const learners = policies.filter((p) => p === "il" || p === "jal" || p === "mfq");
  if (learners.length) {
    const tables = config.learning.sharing === "agent" ? m : config.learning.sharing === "site" ? n : 1;
    const states = n * STATES_PER_CELL;
    // The largest of the learners' tables: JAL's S x A x B values and S x R x B beliefs, or mfq's S K x A values.
    const jalValues = learners.includes("jal") ? states * ACTIONS * BUCKETS + (states * ROLES * BUCKETS) / 2 : 0;
    const mfqValues = learners.includes("mfq") ? states * MEAN_BINS * ACTIONS : 0;
    const perTable = Math.max(states * ACTIONS, jalValues, mfqValues);
    const learner = 2 * tables * perTable * 8 + m * LEARNER_AGENT_BYTES;
    terms.push({ field: "learning.sharing", bytes: learner });
    if (heldOutEvery(config.learning) > 0) terms.push({ field: "learning.heldOut", bytes: learner });
  }
  if (policies.includes("optimum")) terms.push({ field: "policies", bytes: optimumScratchBytes(m, n) });
  if (config.output.taskRecords) {
    terms.push({ field: "output.taskRecords", bytes: m * config.slots * config.tasks.arrivalRate * TASK_RECORD_BYTES });
  }
  terms.sort((a, b) => b.bytes - a.bytes);
  const sum = (ts: MemoryTerm[]): number => ts.reduce((a, t) => a + t.bytes, 0);
  return { bytes: sum(terms), kernelBytes: sum(terms.filter((t) => !HOST_FIELDS.has(t.field))), terms };
}

/** SlotLayout's size, or its formula's value when M or N is too large for the exact one (over 2^31). */
function layoutBytes(m: number, n: number): number {
  return m < 2 ** 31 && n < 2 ** 31 ? SlotLayout.byteLength(m, n) : m * 184 + n * 64;
}

/** Bytes as GiB for a message: one decimal (three below 1 GiB). */
export const formatGiB = (bytes: number): string => `${Number((bytes / GIB).toFixed(bytes < GIB ? 3 : 1))} GiB`;
