// The page: controls, the map and the charts, fed by two simulator workers (web/worker.ts):
// one steps the live world, the other runs whole trials so the live view keeps going.
import { POLICY_NAMES, type PolicyName } from "../src/scenario/schema.js";
import { LineChart, POLICY_COLOURS } from "./charts.js";
import { DECISIONS, MapView } from "./map.js";
import type { Controls, Reply, Request } from "./protocol.js";

/** The shipped scenarios, bundled into the page. */
const SHIPPED = Object.fromEntries(
  Object.entries(import.meta.glob<unknown>("../scenarios/*.json", { eager: true, import: "default" }))
    .filter(([path]) => !path.endsWith("/schema.json"))
    .map(([path, raw]) => [path.slice(path.lastIndexOf("/") + 1), raw]),
);

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const el = {
  status: $("status"), scenario: $<HTMLSelectElement>("scenario"), file: $<HTMLInputElement>("file"), drop: $("drop"), point: $<HTMLSelectElement>("point"),
  policies: $("policies"), users: $<HTMLInputElement>("users"), task: $<HTMLInputElement>("task"), seed: $<HTMLInputElement>("seed"), apply: $("apply"),
  errors: $("errors"), speed: $<HTMLSelectElement>("speed"), run: $("run"), pause: $("pause"), step: $("step"), shown: $<HTMLSelectElement>("shown"),
  slot: $("slot"), sps: $("sps"), fps: $("fps"), trialPolicy: $<HTMLSelectElement>("trial-policy"), trial: $<HTMLButtonElement>("trial"),
  trialStatus: $("trial-status"), trialDownload: $<HTMLAnchorElement>("trial-download"), trialScenario: $<HTMLAnchorElement>("trial-scenario"), notice: $("notice"), scenarioDownload: $<HTMLAnchorElement>("scenario-download"), record: $("record"), legend: $("legend"),
};

/** What the tests read: the page's measured pace and the last slot's shown values. */
const state = {
  ready: false, worldLoaded: false, slot: -1, slotsPerSecond: 0, fps: 0, frames: 0, errors: "", trialId: "", record: "", latest: {} as Record<string, (number | null)[]>,
  /** The live episode reached the scenario's slots (Run or Step starts the next). */
  ended: false, episode: 0,
  /** Where each site is drawn on the map canvas (y up: a larger y is higher). */
  siteCanvas: [] as [number, number][],
  /** The whole trial's own scenario (what its "scenario JSON" link downloads). */
  trialScenario: "",
};
(window as unknown as { twinedge: typeof state }).twinedge = state;

const live = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const trials = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (w: Worker, r: Request): void => w.postMessage(r);

const map = new MapView($<HTMLCanvasElement>("map"));
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
const charts = {
  latency: new LineChart($<HTMLCanvasElement>("chart-latency"), "latency T_proc, s", (v) => v.toPrecision(3)),
  miss: new LineChart($<HTMLCanvasElement>("chart-miss"), "deadline misses", pct, 1),
  offload: new LineChart($<HTMLCanvasElement>("chart-offload"), "offload ratio", pct, 1),
};

el.legend.innerHTML = DECISIONS.map((d) => `<li><i style="background:${d.colour}"></i>${d.name}</li>`).join("")
  + "<li><i style=\"background:transparent;border:2px solid rgb(200,80,40)\"></i>site load (tasks)</li>";

// Scenario choice: a shipped one, the one `twinedge view SCENARIO` was given, or a dropped file.
let current: { raw: unknown; source: string; name: string } = { raw: null, source: "", name: "" };
const options: Record<string, { raw: unknown; source: string; name: string }> = {};
for (const [file, raw] of Object.entries(SHIPPED)) options[`shipped:${file}`] = { raw, source: `scenarios/${file}`, name: file.replace(/\.json$/i, "") };

function addOption(key: string, label: string): void {
  const o = document.createElement("option");
  o.value = key;
  o.textContent = label;
  el.scenario.append(o);
}

function fillPolicyControls(): void {
  el.policies.innerHTML = "";
  for (const p of POLICY_NAMES) {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" value="${p}"> <span style="color:${POLICY_COLOURS[p]}">${p}</span>`;
    el.policies.append(label);
    const o = document.createElement("option");
    o.value = p;
    o.textContent = p;
    el.trialPolicy.append(o);
  }
}

/** The scenario's seeds and policies as its file gives them (the schema's defaults otherwise). */
function choose(key: string): void {
  current = options[key];
  const raw = (current.raw && typeof current.raw === "object" ? current.raw : {}) as { seeds?: unknown; policies?: unknown };
  const seeds = raw.seeds;
  el.seed.value = String(Array.isArray(seeds) && typeof seeds[0] === "number" ? seeds[0] : 1);
  const policies = Array.isArray(raw.policies) ? raw.policies as string[] : ["local", "random", "nearest", "greedy"];
  for (const box of el.policies.querySelectorAll<HTMLInputElement>("input")) box.checked = policies.includes(box.value);
  el.trialPolicy.value = policies.find((p) => ["local", "random", "nearest", "greedy"].includes(p)) ?? policies[0] ?? "greedy";
  el.point.innerHTML = "<option value=\"0\">0</option>";
  el.trialScenario.hidden = el.trialDownload.hidden = true;
  el.trialStatus.textContent = el.record.textContent = "";
  build();
}

function numberOrNull(input: HTMLInputElement, scale = 1): number | null {
  return input.value.trim() === "" ? null : Number(input.value) * scale;
}

/** The controls, or an error naming the control (a number field the browser could not read is empty). */
function controls(): Controls {
  const policies = [...el.policies.querySelectorAll<HTMLInputElement>("input:checked")].map((b) => b.value as PolicyName);
  const seed = el.seed.value.trim() === "" ? NaN : Number(el.seed.value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed (Seed): expected a whole number 0 or more, got ${el.seed.value.trim() === "" ? "an empty field" : JSON.stringify(el.seed.value)}`);
  return { policies, seed, usersPerSite: numberOrNull(el.users), taskMeanBits: numberOrNull(el.task, 1000), pointIndex: Number(el.point.value) };
}

/** Shows an error (state.errors too, which the tests read). */
function showError(message: string): void {
  state.errors = message;
  el.errors.textContent = message;
}

/** No world on show: a refused scenario leaves the map, status and links blank, not the previous world's. */
function dropWorld(why: string): void {
  send(live, { type: "unload" });
  state.worldLoaded = false;
  state.slot = -1;
  state.ended = false;
  state.siteCanvas = [];
  map.clear();
  for (const c of Object.values(charts)) c.reset([]);
  el.shown.innerHTML = "";
  el.slot.textContent = "0";
  el.notice.textContent = "";
  el.scenarioDownload.hidden = true;
  el.scenarioDownload.removeAttribute("href");
  el.status.textContent = `no world: ${why} · ${kernelsStatus}`;
}

function build(): void {
  el.errors.textContent = "";
  state.errors = "";
  state.worldLoaded = false;
  let c: Controls;
  try {
    c = controls();
  } catch (err) {
    showError(`${current.source}: ${(err as Error).message}`);
    dropWorld(`${current.source} not built`);
    return;
  }
  send(live, { type: "load", raw: current.raw, source: current.source, name: current.name, controls: c });
}

let lastFrameMs = 0;
let kernelsStatus = "";
live.onmessage = trials.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  switch (r.type) {
    case "ready":
      if (e.target === live) {
        state.ready = true;
        kernelsStatus = `WASM kernels ${r.wasmSha256.slice(0, 12)}… · code ${r.codeHash}`;
        el.status.textContent = kernelsStatus;
      }
      return;
    case "world": {
      state.worldLoaded = true;
      state.slot = -1;
      state.ended = false;
      state.episode = 0;
      map.setWorld(r);
      state.siteCanvas = Array.from(r.siteX, (x, j) => map.toCanvas(x, r.siteY[j]));
      for (const c of Object.values(charts)) c.reset(r.policies);
      el.shown.innerHTML = r.policies.map((p, k) => `<option value="${k}">${p}</option>`).join("");
      el.shown.value = String(r.policies.length - 1);
      const labels = [...el.point.options].map((o) => o.textContent).join("\n");
      if (labels !== r.points.join("\n")) {
        const chosen = el.point.value;
        el.point.innerHTML = "";
        r.points.forEach((label, k) => {
          const o = document.createElement("option");
          o.value = String(k);
          o.textContent = label;
          el.point.append(o);
        });
        el.point.value = Number(chosen) < r.points.length ? chosen : "0";
      }
      el.notice.textContent = "";
      el.scenarioDownload.hidden = false;
      el.scenarioDownload.download = `${r.name}-live.json`;
      el.scenarioDownload.href = URL.createObjectURL(new Blob([`${JSON.stringify(r.effective, null, 2)}\n`], { type: "application/json" }));
      el.status.textContent = `${r.name}: ${r.users} users, ${r.sites} sites, ${r.policies.join(" | ")}, ${r.slots} slots · ${kernelsStatus}`;
      return;
    }
    case "ended":
      state.ended = true;
      el.notice.textContent = `Live episode ${r.episode} ended at the scenario's ${r.slots} slots. Run or Step starts the next episode (a new world of the same config; learners keep learning).`;
      return;
    case "episode":
      state.ended = false;
      state.episode = r.episode;
      state.slot = -1;
      for (const c of Object.values(charts)) c.reset(el.shown.innerHTML ? [...el.shown.options].map((o) => o.textContent ?? "") : []);
      el.notice.textContent = `Live episode ${r.episode}: world ${r.seed}.`;
      return;
    case "frame": {
      const now = performance.now();
      for (const s of r.steps) {
        charts.latency.push(s.slot, s.lanes.map((l) => l.latencyS));
        charts.miss.push(s.slot, s.lanes.map((l) => l.deadlineMissRate));
        charts.offload.push(s.slot, s.lanes.map((l) => l.offloadRatio));
        state.slot = s.slot;
      }
      state.latest = { latencyS: charts.latency.latest(), deadlineMissRate: charts.miss.latest(), offloadRatio: charts.offload.latest() };
      map.setUsers(r, lastFrameMs ? Math.min(500, now - lastFrameMs) : 100);
      lastFrameMs = now;
      state.slotsPerSecond = r.slotsPerSecond;
      el.slot.textContent = String(state.slot + 1);
      el.sps.textContent = r.slotsPerSecond.toFixed(1);
      return;
    }
    case "trial":
      state.trialId = r.id;
      state.record = r.json;
      el.record.textContent = r.json;
      el.trialStatus.textContent = `trial ${r.id} in ${(r.ms / 1000).toFixed(2)} s: its record as \`twinedge run\` writes trials/${r.id}.json (run its scenario JSON below with \`twinedge run\` to compare)`;
      el.trialDownload.hidden = false;
      el.trialDownload.download = `${r.id}.json`;
      el.trialDownload.href = URL.createObjectURL(new Blob([r.json], { type: "application/json" }));
      state.trialScenario = `${JSON.stringify(r.effective, null, 2)}\n`;
      el.trialScenario.hidden = false;
      el.trialScenario.download = `${r.name}-trial-${r.id}.json`;
      el.trialScenario.href = URL.createObjectURL(new Blob([state.trialScenario], { type: "application/json" }));
      el.trial.disabled = false;
      return;
    case "error":
      state.errors = r.message;
      if (r.context === "trial") {
        el.trialStatus.textContent = r.message;
        el.trial.disabled = false;
      } else {
        el.errors.textContent = r.message;
        if (r.context === "load") dropWorld(`${current.source} refused (see the error)`);
      }
  }
};

// Animation: the map and charts redraw every frame; fps counts the frames drawn in the last second.
const drawn: number[] = [];
function frame(now: number): void {
  map.draw();
  for (const c of Object.values(charts)) c.draw();
  drawn.push(now);
  while (drawn.length && now - drawn[0] > 1000) drawn.shift();
  state.frames++;
  state.fps = drawn.length;
  if (state.frames % 15 === 0) el.fps.textContent = String(state.fps);
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

el.scenario.addEventListener("change", () => { if (options[el.scenario.value]) choose(el.scenario.value); });
el.apply.addEventListener("click", build);
el.point.addEventListener("change", build);
el.run.addEventListener("click", () => send(live, { type: "run", slotsPerSecond: Number(el.speed.value) }));
el.speed.addEventListener("change", () => send(live, { type: "run", slotsPerSecond: Number(el.speed.value) }));
el.pause.addEventListener("click", () => send(live, { type: "pause" }));
el.step.addEventListener("click", () => send(live, { type: "step" }));
el.shown.addEventListener("change", () => send(live, { type: "show", lane: Number(el.shown.value) }));
el.trial.addEventListener("click", () => {
  el.record.textContent = "";
  state.record = "";
  state.trialScenario = "";
  el.trialDownload.hidden = el.trialScenario.hidden = true;
  let c: Controls;
  try {
    c = controls();
  } catch (err) {
    state.errors = `${current.source}: ${(err as Error).message}`;
    el.trialStatus.textContent = state.errors;
    return;
  }
  el.trial.disabled = true;
  el.trialStatus.textContent = "running…";
  send(trials, { type: "trial", raw: current.raw, source: current.source, name: current.name, controls: c, policy: el.trialPolicy.value as PolicyName });
});

/** A dropped or chosen file: parsed here, validated by the worker with the schema. */
async function useFile(file: File): Promise<void> {
  const key = `file:${file.name}`;
  let raw: unknown;
  try {
    raw = JSON.parse(await file.text());
  } catch (err) {
    // The selector names the file, so nothing of the previous world stays on show.
    delete options[key];
    const refused = `${file.name} (not valid JSON)`;
    for (const o of [...el.scenario.options]) if (o.value === key) o.remove();
    addOption(key, refused);
    el.scenario.value = key;
    current = { raw: undefined, source: file.name, name: file.name.replace(/\.json$/i, "") };
    showError(`${file.name}: not valid JSON (${(err as Error).message})`);
    dropWorld(`${file.name} refused (see the error)`);
    return;
  }
  options[key] = { raw, source: file.name, name: file.name.replace(/\.json$/i, "") };
  for (const o of [...el.scenario.options]) if (o.value === key) o.textContent = `${file.name} (dropped)`;
  if (![...el.scenario.options].some((o) => o.value === key)) addOption(key, `${file.name} (dropped)`);
  el.scenario.value = key;
  choose(key);
}
el.file.addEventListener("change", () => { if (el.file.files?.[0]) void useFile(el.file.files[0]); });
document.addEventListener("dragover", (e) => { e.preventDefault(); el.drop.classList.add("over"); });
document.addEventListener("dragleave", () => el.drop.classList.remove("over"));
document.addEventListener("drop", (e) => {
  e.preventDefault();
  el.drop.classList.remove("over");
  const f = e.dataTransfer?.files[0];
  if (f) void useFile(f);
});

async function start(): Promise<void> {
  fillPolicyControls();
  // `twinedge view SCENARIO` serves it here; the page on its own (or without one) starts on quick.
  let initial = "shipped:quick.json";
  const res = await fetch("./initial-scenario.json").catch(() => undefined);
  const given = res?.ok ? await res.json() as { raw: unknown; source: string; name: string } | null : null;
  if (given) {
    options["given"] = given;
    addOption("given", `${given.source} (given)`);
    initial = "given";
  }
  for (const file of Object.keys(SHIPPED).sort()) addOption(`shipped:${file}`, file);
  if (!options[initial]) initial = Object.keys(options)[0];
  el.scenario.value = initial;
  choose(initial);
}
void start();
