// The snapshot format of `twinedge latency` (docs/calculator.md#input).
import { z } from "zod";
import { channelParams } from "../model/params.js";
import { finite, fraction, nonNegative, nonNegativeInt, positive } from "../validation.js";

const task = z.strictObject({
  cyclesPerBit: nonNegative(),
  bits: nonNegative(),
  deadlineS: nonNegative(),
});

const decision = z.strictObject({
  localFraction: fraction(),
  server: nonNegativeInt().nullable().optional(),
  migrateTo: nonNegativeInt().nullable().default(null),
  sourceFraction: fraction().default(0),
});

const user = z.strictObject({
  xM: finite(),
  yM: finite(),
  powerMw: positive(),
  cpuHz: positive(),
  task: task.nullable().optional(),
  decision: decision.optional(),
});

const server = z.strictObject({ xM: finite(), yM: finite(), cpuHz: positive() });

/** Slack for 1 - theta computed in floating point (0.7 + 0.3 must pass). */
const FRACTION_SLACK = 1e-12;

export const snapshotSchema = z
  .strictObject({
    params: channelParams.prefault({}),
    servers: z.array(server, { error: "expected an array of servers" }).min(1, { error: "expected at least one server" }),
    users: z.array(user, { error: "expected an array of users" }),
  })
  .superRefine((s, ctx) => {
    const n = s.servers.length;
    s.users.forEach((u, i) => {
      const at = (...p: (string | number)[]) => ["users", i, ...p];
      const d = u.decision;
      if (!d) {
        if (u.task) ctx.addIssue({ code: "custom", path: at("decision"), message: "required for a user with a task" });
        return;
      }
      // An idle user's decision is ignored, but it must still be a possible one.
      if (d.server == null) {
        if (u.task && d.localFraction < 1) ctx.addIssue({ code: "custom", path: at("decision", "server"), message: "required when localFraction < 1" });
      } else if (d.server >= n) {
        ctx.addIssue({ code: "custom", path: at("decision", "server"), message: `unknown server index ${d.server} (servers has ${n})` });
      }
      if (d.migrateTo != null) {
        if (d.migrateTo >= n) {
          ctx.addIssue({ code: "custom", path: at("decision", "migrateTo"), message: `unknown server index ${d.migrateTo} (servers has ${n})` });
        } else if (d.migrateTo === d.server) {
          ctx.addIssue({ code: "custom", path: at("decision", "migrateTo"), message: "must differ from server" });
        }
      }
      if (d.sourceFraction > 1 - d.localFraction + FRACTION_SLACK) {
        ctx.addIssue({ code: "custom", path: at("decision", "sourceFraction"), message: `must be at most 1 - localFraction (${1 - d.localFraction})` });
      }
    });
  });

export type Snapshot = z.output<typeof snapshotSchema>;
