// A policy plug-in (docs/plugins.md): each active user offloads to the least-loaded site
// within range, counting the load the twin measured at its last sync plus the tasks this
// policy has already placed there this slot; ties go to the faster uplink. It then keeps the
// local fraction theta of least estimated T_proc = max(T_local, T_trans + T_exe) (eq. 1-6),
// with the site's CPU shared equally among its tasks, or computes locally when that is faster.
// From its feedback it keeps, per site, the mean processing time of the tasks it sent there,
// and skips for a slot a site whose tasks ran more than `slowFactor` times the estimate.
//
// Options: fullOffload (boolean, default false): only theta 0 or 1.
//          slowFactor (number > 1, default 3): see above; Infinity turns the feedback off.
import type { CreatePolicy, Decisions, PluginObservation, SlotOutcome } from "twinedge/plugin";

export const createPolicy: CreatePolicy = (ctx) => {
  const { fullOffload = false, slowFactor = 3 } = ctx.options as { fullOffload?: unknown; slowFactor?: unknown };
  if (typeof fullOffload !== "boolean") throw new Error(`options.fullOffload: expected true or false, got ${JSON.stringify(fullOffload)}`);
  if (typeof slowFactor !== "number" || !(slowFactor > 1)) throw new Error(`options.slowFactor: expected a number above 1, got ${JSON.stringify(slowFactor)}`);
  const factor = slowFactor, n = ctx.sites;
  const fractions = ctx.localFractions.filter((t) => t < 1 && (!fullOffload || t === 0));
  const placed = new Int32Array(n); // tasks this policy sent to each site this slot
  const estimateS = new Float64Array(ctx.users); // the T_proc each user's offloaded task was expected to take
  const slow = new Uint8Array(n); // sites whose last tasks ran slowFactor times slower than estimated

  function act(obs: PluginObservation, out: Decisions): void {
    placed.fill(0);
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i]) continue;
      let site = -1, siteLoad = Infinity, siteRate = 0;
      for (let j = 0; j < n; j++) {
        const rate = ctx.estimate.expectedRateBps(obs, i, j);
        if (rate < ctx.channel.minRateBps || slow[j]) continue;
        const load = obs.siteLoad[j] + placed[j];
        if (load < siteLoad || (load === siteLoad && rate > siteRate)) [site, siteLoad, siteRate] = [j, load, rate];
      }
      if (site < 0) continue; // no site in range: the task stays local (the pre-filled decision)
      const work = obs.bits[i] * obs.cyclesPerBit[i];
      const edgeHz = obs.sites.cpuHz[site] / (siteLoad + 1);
      let bestS = work / obs.userCpuHz[i], theta = 1;
      for (const t of fractions) {
        const s = Math.max((work * t) / obs.userCpuHz[i], (obs.bits[i] * (1 - t)) / siteRate + (work * (1 - t)) / edgeHz);
        if (s < bestS) [bestS, theta] = [s, t];
      }
      if (theta >= 1) continue;
      out.theta[i] = theta;
      out.server[i] = site;
      estimateS[i] = bestS;
      placed[site]++;
    }
  }

  function feedback(obs: PluginObservation, outcome: SlotOutcome): void {
    const sum = new Float64Array(n), count = new Int32Array(n);
    for (let i = 0; i < obs.users; i++) {
      if (!outcome.active[i] || outcome.theta[i] >= 1 || !(estimateS[i] > 0)) continue;
      sum[outcome.server[i]] += outcome.tProcS[i] / estimateS[i];
      count[outcome.server[i]]++;
    }
    // A site skipped this slot (count 0) is tried again the next.
    for (let j = 0; j < n; j++) slow[j] = count[j] > 0 && sum[j] / count[j] > factor ? 1 : 0;
    estimateS.fill(0);
  }

  return { act, feedback };
};
