// Human titles for metrics and sweep axes. Names in this project carry their unit as a
// camel-case suffix (latencyS, cpuHz, minRateBps), so an unknown name still gets a unit.
import type { MetricName } from "../../contracts/record.js";

/** A title, its unit, and whether the unit takes an SI prefix (Mbit/s, GHz) for large values. */
export interface Label {
  /** Title without the unit, e.g. "Uplink rate". */
  name: string;
  /** Unit without parentheses, e.g. "bit/s"; empty for dimensionless quantities. */
  unit: string;
}

/**
 * The values a metric can take, which bound the interval a figure draws (never the data):
 * a share (rates of events, ratios, accuracies) lies in [0, 1], a non-negative quantity
 * (delays, counts, rates in bit/s, distances) at or above 0. The Student-t interval of a
 * mean over few seeds can leave that range (n = 2 with a large sd reaches far below 0);
 * the figure clips the drawn band or error bar to it, while the data file keeps the raw
 * interval of summary.csv.
 */
export type Bounds = "share" | "nonNegative" | "unbounded";

export interface MetricLabel extends Label {
  bounds: Bounds;
}

/** The one table of what each metric is called, its unit and its range. */
const METRIC_LABELS: Record<MetricName, MetricLabel> = {
  latencyS: { name: "Average task latency", unit: "s", bounds: "nonNegative" },
  responseS: { name: "Average response time", unit: "s", bounds: "nonNegative" },
  deadlineMissRate: { name: "Deadline miss rate", unit: "", bounds: "share" },
  offloadRatio: { name: "Offloaded fraction", unit: "", bounds: "share" },
  infeasibleRate: { name: "Refused upload rate", unit: "", bounds: "share" },
  reward: { name: "Average reward", unit: "1/s", bounds: "nonNegative" },
  systemCostS: { name: "System cost per slot", unit: "s", bounds: "nonNegative" },
  queueWaitS: { name: "Average queue wait", unit: "s", bounds: "nonNegative" },
  uploadRateBps: { name: "Uplink rate", unit: "bit/s", bounds: "nonNegative" },
  tasks: { name: "Tasks per trial", unit: "", bounds: "nonNegative" },
  migrationsPerUserHour: { name: "Migrations per user-hour", unit: "", bounds: "nonNegative" },
  relaysPerUserHour: { name: "Relays per user-hour", unit: "", bounds: "nonNegative" },
  interruptionsPerUserHour: { name: "Interruptions per user-hour", unit: "", bounds: "nonNegative" },
  migrationDelayS: { name: "Average migration delay", unit: "s", bounds: "nonNegative" },
  relayDelayS: { name: "Average relay delay", unit: "s", bounds: "nonNegative" },
  nextCellAccuracy: { name: "Next-cell accuracy", unit: "", bounds: "share" },
  nextCellAccuracyStay: { name: "Next-cell accuracy (stay)", unit: "", bounds: "share" },
  nextPositionErrorM: { name: "Position forecast error", unit: "m", bounds: "nonNegative" },
  fetchSavedShare: { name: "Fetches saved", unit: "", bounds: "share" },
  fetchSavedBitsPerSlot: { name: "Data not fetched per slot", unit: "bit", bounds: "nonNegative" },
  fullHandshakesPerUserHour: { name: "Full handshakes per user-hour", unit: "", bounds: "nonNegative" },
  resumedSessionsPerUserHour: { name: "Resumed sessions per user-hour", unit: "", bounds: "nonNegative" },
  authRefusalsPerUserHour: { name: "Refusals per user-hour", unit: "", bounds: "nonNegative" },
  authDelayS: { name: "Average authentication delay", unit: "s", bounds: "nonNegative" },
  refusedUsers: { name: "Refused users", unit: "", bounds: "nonNegative" },
  maliciousUsers: { name: "Malicious users", unit: "", bounds: "nonNegative" },
};

const AXIS_LABELS: Record<string, Label> = {
  "users.perSite": { name: "Users per site", unit: "" },
  "users.total": { name: "Users", unit: "" },
  "users.cpuHz": { name: "User CPU frequency", unit: "Hz" },
  "users.powerMw": { name: "Transmit power", unit: "mW" },
  "sites.count": { name: "Sites", unit: "" },
  "sites.placement": { name: "Site placement", unit: "" },
  "sites.cpuHz": { name: "Site CPU frequency", unit: "Hz" },
  "tasks.arrivalRate": { name: "Arrival rate", unit: "tasks/user/slot" },
  "tasks.deadlineS": { name: "Deadline", unit: "s" },
  "tasks.bits.value": { name: "Task size", unit: "bit" },
  "tasks.bits.min": { name: "Minimum task size", unit: "bit" },
  "tasks.bits.max": { name: "Maximum task size", unit: "bit" },
  "tasks.bits.mean": { name: "Mean task size", unit: "bit" },
  "tasks.cyclesPerBit.value": { name: "CPU cycles per bit", unit: "" },
  "tasks.cyclesPerBit.mean": { name: "Mean CPU cycles per bit", unit: "" },
  "channel.bandwidthHz": { name: "Bandwidth", unit: "Hz" },
  "channel.noiseMw": { name: "Noise power", unit: "mW" },
  "channel.minRateBps": { name: "Minimum uplink rate", unit: "bit/s" },
  "channel.interference": { name: "Interference model", unit: "" },
  "channel.dMinM": { name: "Minimum distance", unit: "m" },
  "mobility.speedMps.min": { name: "Minimum speed", unit: "m/s" },
  "mobility.speedMps.max": { name: "Maximum speed", unit: "m/s" },
  "mobility.pauseS.min": { name: "Minimum pause", unit: "s" },
  "mobility.pauseS.max": { name: "Maximum pause", unit: "s" },
  "area.widthM": { name: "Area width", unit: "m" },
  "area.heightM": { name: "Area height", unit: "m" },
  "association.rule": { name: "Association rule", unit: "" },
  "association.candidates": { name: "Association candidates", unit: "" },
  "mobility.model": { name: "Mobility model", unit: "" },
  "auth.trustTransfer": { name: "Trust transfer", unit: "" },
  "migration.mode": { name: "Migration mode", unit: "" },
  "twin.syncPeriodSlots": { name: "Twin sync period", unit: "slots" },
  slots: { name: "Slots", unit: "" },
  warmupSlots: { name: "Warm-up slots", unit: "" },
  slotS: { name: "Slot length", unit: "s" },
};

// Longest first, so "speedMps" is m/s and not "speedMp" in seconds.
const UNIT_SUFFIXES: readonly (readonly [string, string])[] = [
  ["Bps", "bit/s"], ["Mps", "m/s"], ["Hz", "Hz"], ["Mw", "mW"], ["S", "s"], ["M", "m"],
];

// A last segment like "max" says little without its parent ("tasks.bits.max" -> "Bits max").
const VAGUE_SEGMENTS = new Set(["min", "max", "value", "mean", "sd", "count", "rule", "model", "mode", "enabled"]);

/** Units that read better with an SI prefix than with exponents (2e7 bit/s -> 20 Mbit/s). */
const PREFIXABLE_UNITS = new Set(["bit/s", "bit", "Hz"]);

/** A metric this table does not know gets a title from its name and no bounds. */
export function metricLabel(metric: string): MetricLabel {
  return (METRIC_LABELS as Record<string, MetricLabel>)[metric] ?? { ...derivedLabel([metric]), bounds: "unbounded" };
}

export function axisLabel(path: string): Label {
  if (AXIS_LABELS[path]) return AXIS_LABELS[path];
  const segments = path.split(".");
  const last = segments[segments.length - 1];
  return derivedLabel(VAGUE_SEGMENTS.has(last) && segments.length > 1 ? segments.slice(-2) : [last]);
}

/** "Title (unit)", or just the title for a dimensionless quantity. */
export function titleOf(label: Label, prefix = ""): string {
  return label.unit ? `${label.name} (${prefix}${label.unit})` : label.name;
}

/** Splits camelCase segments into words and strips a unit suffix ("pauseS.max" -> "Pause max (s)"). */
function derivedLabel(segments: readonly string[]): Label {
  let unit = "";
  const parts = [...segments];
  for (let i = parts.length - 1; i >= 0 && unit === ""; i--) {
    const seg = parts[i];
    for (const [suffix, u] of UNIT_SUFFIXES) {
      // The suffix must end a camel-case word ("deadlineS"), so "users" or a bare "Hz" keep their name.
      if (seg.length > suffix.length && seg.endsWith(suffix) && /[a-z0-9]/.test(seg[seg.length - suffix.length - 1])) {
        unit = u;
        parts[i] = seg.slice(0, -suffix.length);
        break;
      }
    }
  }
  const words = parts.flatMap((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[\s_-]+/)).filter((w) => w !== "");
  const text = words.map((w) => (/^[A-Z]+$/.test(w) && w.length > 1 ? w : w.toLowerCase())).join(" ");
  return { name: text.charAt(0).toUpperCase() + text.slice(1), unit };
}

const SI_PREFIXES = ["", "k", "M", "G", "T"] as const;

/**
 * The SI prefix and divisor that keep the largest magnitude in [1, 1000) for prefixable
 * units. The data files keep raw values (the same numbers as summary.csv); only the plot
 * divides, so a reader can still check every number against summary.csv.
 */
export function siScale(unit: string, values: readonly number[]): { prefix: string; divisor: number } {
  if (!PREFIXABLE_UNITS.has(unit)) return { prefix: "", divisor: 1 };
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  if (max === 0) return { prefix: "", divisor: 1 };
  const k = Math.min(SI_PREFIXES.length - 1, Math.max(0, Math.floor(Math.log10(max) / 3)));
  return { prefix: SI_PREFIXES[k], divisor: 10 ** (3 * k) };
}
