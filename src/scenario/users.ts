// The user count of a configuration: users.total, or users.perSite at every site.
import type { TrialConfig } from "./schema.js";

/** M: users.total if given, else users.perSite x sites.count. */
export function userCount(c: Pick<TrialConfig, "users" | "sites">): number {
  return c.users.total ?? c.users.perSite! * c.sites.count;
}
