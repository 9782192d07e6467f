// Per-task records (scenario output.taskRecords): one CSV row per processed task with its
// decision and the eq. 1-9 terms, so migration and relay costs can be read task by task.
import type { SlotLayout } from "../layout.js";

const TASK_COLUMNS = [
  "slot", "user", "cell", "serviceSite", "event", "theta", "server", "migrateTo", "beta",
  "rateBps", "tLocalS", "tTransS", "tExeS", "tMigS", "tExeTargetS", "tProcS", "deadlineMet",
] as const;

/** Event codes 0-2 are the migration control unit's (NONE, MIGRATE, RELAY); 3 is a refused upload. */
const EVENT_NAMES = ["", "migrate", "relay", "refused"] as const;
export const REFUSED = 3;

export class TaskLog {
  private readonly rows: string[] = [TASK_COLUMNS.join(",")];

  /** `serviceSite` is where the service was when the task was placed (-1: migration off). */
  add(slot: number, i: number, L: SlotLayout, cell: number, serviceSite: number, event: number): void {
    this.rows.push([
      slot, i, cell, serviceSite, EVENT_NAMES[event], L.theta[i], L.server[i], L.migrateTo[i], L.beta[i],
      L.rateBps[i], L.tLocalS[i], L.tTransS[i], L.tExeS[i], L.tMigS[i], L.tExeTargetS[i], L.tProcS[i], L.deadlineMet[i],
    ].join(","));
  }

  csv(): string {
    return `${this.rows.join("\n")}\n`;
  }
}
