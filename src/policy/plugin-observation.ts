// What a plug-in policy is handed each slot (docs/plugins.md): copies of the twin's observation
// and of the slot's outcome, in buffers allocated once per trial and refilled with .set(), so a
// plug-in that writes into them changes nothing in the simulated world; and its decisions
// object frozen, so it cannot swap the arrays the runner reads.
import type { Decisions, SlotOutcome } from "../contracts/decisions.js";
import type { PluginObservation } from "../contracts/plugin.js";
import type { Observation } from "../twin/twin-layer.js";

type Typed = Float64Array | Int32Array;

/** A buffer like `src` (same type and length), the one given if it already fits. */
function fit<T extends Typed>(buf: T | undefined, src: T): T {
  return buf && buf.length === src.length ? buf : (new (src.constructor as new (n: number) => T)(src.length));
}

/** Copies `src` into `buf` (reallocated when the length differs) and returns it. */
function copyInto<T extends Typed>(buf: T | undefined, src: T): T {
  const b = fit(buf, src);
  b.set(src);
  return b;
}

const OBS_ARRAYS = [
  "userX", "userY", "serving", "powerMw", "userCpuHz", "active", "taskType", "bits", "cyclesPerBit", "deadlineS",
  "siteRxMw", "siteOwnMw", "siteLoad", "predictedCell", "predictedX", "predictedY", "serviceSite",
] as const satisfies readonly (keyof PluginObservation)[];
const SITE_ARRAYS = ["xM", "yM", "cpuHz"] as const;
const OUTCOME_ARRAYS = ["active", "theta", "server", "tProcS"] as const satisfies readonly (keyof SlotOutcome)[];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ObsCopy = Mutable<Omit<PluginObservation, "sites">> & { sites: Mutable<PluginObservation["sites"]> };

/** One trial's copies for one plug-in policy (CheckedPolicy owns one). */
export class PluginView {
  private readonly obs = { sites: {} } as ObsCopy;
  private readonly outcome = {} as Mutable<SlotOutcome>;
  private decisionsOf: Decisions | undefined;
  private frozenDecisions: Decisions | undefined;

  /** The observation's copy, refilled from the twin's (act and feedback call it). */
  observation(o: Observation): PluginObservation {
    const c = this.obs;
    c.slot = o.slot;
    c.users = o.users;
    c.sites.count = o.sites.count;
    for (const k of SITE_ARRAYS) c.sites[k] = copyInto<Float64Array>(c.sites[k], o.sites[k]);
    const arrays = c as unknown as Record<string, Typed | undefined>;
    for (const k of OBS_ARRAYS) arrays[k] = copyInto(arrays[k], o[k]);
    return c;
  }

  /** The outcome's copy, refilled from the slot layout (feedback calls it). */
  slotOutcome(o: SlotOutcome): SlotOutcome {
    const c = this.outcome as unknown as Record<string, Typed | undefined>;
    for (const k of OUTCOME_ARRAYS) c[k] = copyInto(c[k], o[k]);
    return this.outcome;
  }

  /** `out`'s arrays in a frozen object: writes into the arrays are the decisions, replacing an array throws. */
  decisions(out: Decisions): Decisions {
    if (this.decisionsOf !== out) {
      this.decisionsOf = out;
      this.frozenDecisions = Object.freeze({ theta: out.theta, server: out.server, migrateTo: out.migrateTo, beta: out.beta });
    }
    return this.frozenDecisions!;
  }
}
