// The `twinedge` command: a thin face over functions the tests call directly. The modules
// that draw figures (vega, pdfkit) and run workers load only for the commands that use
// them, so validate and run refuse bad input without loading them.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { CERT_DEFAULTS, simulationOnlyNotice } from "./auth/certs-options.js";
import { BACKENDS, type Backend } from "./kernels/types.js";
import { envShardSource, parseShard, shardFromEnv, shardLabel } from "./sweep/shard.js";
import { FIGURE_SIZES, type FigureSize } from "./results/figures/size.js";
import { ROOT } from "./paths.js";
import { staleBuild } from "./run/build-info.js";
import { DEFAULT_MAX_MEMORY_GIB, DEFAULT_MAX_TRIALS, GIB, type Limits } from "./scenario/limits.js";
import { loadScenario } from "./sweep/load.js";
import { checkPlugins } from "./sweep/plugins.js";
import { schemaText } from "./scenario/json-schema.js";
import { InputError, quote, readJsonFile } from "./validation.js";

/** Exit codes: 0 done, 1 some trials failed or an internal error, 2 bad input. */
export const EXIT = { ok: 0, failed: 1, input: 2 } as const;

const figureSizeOption = () => new Option("--figure-size <size>", "figure size: screen, or an IEEE column: single (3.5 in), double (7.16 in)").choices(FIGURE_SIZES).default("screen");

const backendOption = () =>
  new Option("--backend <backend>", "kernel backend").choices(BACKENDS as string[]).default("wasm");

function version(): string {
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
}

export function buildCli(): Command {
  const program = new Command("twinedge")
    .description("Digital-twin-empowered resource allocation for 6G massive IoT: simulator with WASM kernels")
    .version(version())
    .showHelpAfterError()
    .exitOverride();

  program.command("run")
    .description("run every sweep point x policy x seed of a scenario into a result folder; rerun to resume")
    .argument("<scenario>", "scenario JSON file (see scenarios/schema.json)")
    .option("--out <dir>", "result folder (default: a new folder under results/); an existing one is resumed")
    .addOption(backendOption())
    .option("--threads <n>", `worker threads (default: ${availableParallelism()}, the core count; 1 runs in-process)`)
    .option("--shard <i/n>", "run only shard i of n (default: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX)")
    .option("--no-figures", "skip drawing figures (twinedge plot draws them later)")
    .option("--report", "also write report.html (as twinedge report does)")
    .addOption(figureSizeOption())
    .addOption(new Option("--auth <mode>", "replace the scenario's auth.mode: modeled keeps the protocol's counts and delays without the cryptography").choices(["off", "crypto", "modeled"]))
    .option("--quiet", "no progress output")
    .addOption(maxTrialsOption())
    .addOption(maxMemoryOption())
    .action(async (file: string, o: { out?: string; backend: Backend; threads?: string; shard?: string; figures: boolean; report?: boolean; auth?: "off" | "crypto" | "modeled"; quiet?: boolean; figureSize: FigureSize } & LimitOptions) => {
      const threads = o.threads === undefined ? undefined : parseThreads(o.threads);
      const shard = o.shard !== undefined ? parseShard(o.shard) : shardFromEnv(process.env);
      // Everything is checked before the heavy modules load.
      const loaded = loadScenario(file, { authMode: o.auth }, parseLimits(o));
      await checkPlugins(loaded.scenario.policies, loaded.baseDir, file);
      if (threads !== undefined && threads > availableParallelism()) {
        console.error(`twinedge: --threads ${threads} is above this machine's ${availableParallelism()} cores: the threads will share them (no faster, more memory)`);
      }
      if (o.shard === undefined && shard) {
        console.error(`twinedge: running shard ${shardLabel(shard)} only, from the environment (${envShardSource(process.env)}); --shard 0/1 runs every trial`);
      }
      const { runSweep } = await import("./sweep/run-sweep.js");
      const r = await runSweep(file, { out: o.out, backend: o.backend, threads, shard, progress: !o.quiet, figures: o.figures, report: o.report === true, auth: o.auth, loaded, figureSize: o.figureSize });
      console.log(r.dir);
      if (r.failed > 0) {
        console.error(`twinedge: ${r.failed} of ${r.records.length} trials failed (errors in ${r.dir}/trials.jsonl)`);
        process.exitCode = EXIT.failed;
      }
    });

  program.command("merge")
    .description("combine the shard folders of one scenario into one result folder")
    .requiredOption("--out <dir>", "merged result folder")
    .argument("<shards...>", "shard result folders")
    .option("--no-figures", "skip drawing figures")
    .addOption(figureSizeOption())
    .action(async (dirs: string[], o: { out: string; figures: boolean; figureSize: FigureSize }) => {
      const { mergeResults } = await import("./sweep/merge.js");
      const { plotResultDir } = await import("./sweep/plot.js");
      const r = mergeResults(o.out, dirs);
      if (o.figures) await plotResultDir(r.dir, { size: o.figureSize });
      console.log(r.dir);
      if (r.failed > 0) process.exitCode = EXIT.failed;
    });

  program.command("plot")
    .description("redraw a result folder's figures (figures/) from its per-trial files")
    .argument("<dir>", "result folder")
    .addOption(figureSizeOption())
    .action(async (dir: string, o: { figureSize: FigureSize }) => {
      const { plotResultDir } = await import("./sweep/plot.js");
      const files = await plotResultDir(dir, { size: o.figureSize });
      console.log(`${join(dir, "figures")} (${files.length} files)`);
    });

  program.command("report")
    .description("write DIR/report.html: one self-contained page (figures, summary and paired tables, provenance, scenario) that opens offline")
    .argument("<dir>", "result folder")
    .action(async (dir: string) => {
      const { reportResultDir } = await import("./results/report/index.js");
      console.log(reportResultDir(dir));
    });

  program.command("latency")
    .description("evaluate one slot snapshot (docs/calculator.md) and print the latency terms as JSON")
    .argument("<snapshot>", "snapshot JSON file")
    .addOption(backendOption())
    .action(async (file: string, o: { backend: Backend }) => {
      const { calculateLatency } = await import("./calculator/latency.js");
      const report = calculateLatency(readJsonFile(file), o.backend, file);
      process.stdout.write(`${JSON.stringify(report)}\n`);
    });

  program.command("validate")
    .description("check a scenario file and print how many trials it expands to")
    .argument("<scenario>", "scenario JSON file")
    .addOption(maxTrialsOption())
    .addOption(maxMemoryOption())
    .action(async (file: string, o: LimitOptions) => {
      const s = loadScenario(file, {}, parseLimits(o));
      await checkPlugins(s.scenario.policies, s.baseDir, file);
      console.log(`${file}: ok: ${s.points.length} point(s) x ${s.scenario.policies.length} policies x ${s.scenario.seeds.length} seeds = ${s.trials.length} trials`);
    });

  program.command("certs")
    .description("write X.509 certificates (PEM) of a trusted authority, users and sites, for standard tools (openssl verify -CAfile ta.pem ...); for simulation only: the keys derive from the public seed")
    .requiredOption("--out <dir>", "output folder")
    .option("--users <n>", "users", String(CERT_DEFAULTS.users))
    .option("--sites <n>", "sites", String(CERT_DEFAULTS.sites))
    .option("--expired <k>", "how many of the users get an already expired certificate", String(CERT_DEFAULTS.expired))
    .option("--seed <s>", "seed the keys derive from", String(CERT_DEFAULTS.seed))
    .option("--keys", "also write the private keys, under <dir>/keys/")
    .action(async (o: { out: string; users: string; sites: string; expired: string; seed: string; keys?: boolean }) => {
      const { writeCerts } = await import("./auth/write-certs.js");
      const files = await writeCerts(o.out, { users: Number(o.users), sites: Number(o.sites), expired: Number(o.expired), seed: Number(o.seed), keys: Boolean(o.keys) });
      console.log(`${o.out} (${files.length} files)`);
      console.error(simulationOnlyNotice(Number(o.seed)));
    });

  program.command("view")
    .description("serve the live view on 127.0.0.1: the simulator itself in the browser, on the same WASM kernels, with a map, live charts and a whole-trial run (docs/view.md)")
    .argument("[scenario]", "scenario JSON file the page opens first (default: the shipped quick.json; the page lists every shipped scenario)")
    .option("--port <p>", "port on 127.0.0.1 (0: any free port)", String(VIEW_PORT))
    .action(async (file: string | undefined, o: { port: string }) => {
      const port = parsePort(o.port);
      // The given scenario is checked as `run` checks it before anything is served.
      const given = file === undefined ? undefined : { raw: readJsonFile(file), source: file, name: loadScenario(file).name };
      const { serveView } = await import("./view/server.js");
      const { url } = await serveView(port, given);
      console.log(`twinedge view: ${url} (Ctrl-C stops it)`);
    });

  program.command("env-server")
    .description("serve one environment over stdin/stdout frames for the Python package (docs/python.md); exits when stdin closes")
    .action(async () => {
      const { serveEnv } = await import("./env/server.js");
      serveEnv();
    });

  program.command("schema")
    .description("print the scenario JSON Schema")
    .action(() => {
      process.stdout.write(schemaText());
    });

  return program;
}

/** The view's default port on 127.0.0.1. */
const VIEW_PORT = 5178;

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n > 65535) throw new InputError("--port", [`expected a port number 0..65535 (0: any free port), got ${quote(text)}`]);
  return n;
}

function parseThreads(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError("--threads", [`expected a positive integer, got ${quote(text)}`]);
  return n;
}

interface LimitOptions {
  maxTrials: string;
  maxMemoryGib: string;
}

const maxTrialsOption = () =>
  new Option("--max-trials <n>", "refuse a scenario that expands to more trials (points x policies x seeds)").default(String(DEFAULT_MAX_TRIALS));
const maxMemoryOption = () =>
  new Option("--max-memory-gib <g>", "refuse a sweep point whose trial is estimated to need more memory (GiB)").default(String(DEFAULT_MAX_MEMORY_GIB));

function parseLimits(o: LimitOptions): Limits {
  const trials = Number(o.maxTrials), gib = Number(o.maxMemoryGib);
  if (!Number.isSafeInteger(trials) || trials < 1) throw new InputError("--max-trials", [`expected a positive integer, got ${quote(o.maxTrials)}`]);
  if (!Number.isFinite(gib) || gib <= 0) throw new InputError("--max-memory-gib", [`expected a positive number, got ${quote(o.maxMemoryGib)}`]);
  return { maxTrials: trials, maxMemoryBytes: gib * GIB };
}

export async function main(argv: string[]): Promise<void> {
  // A build of other sources than those beside it is never run.
  const stale = staleBuild(ROOT);
  if (stale !== null) {
    console.error(`twinedge: ${stale}`);
    process.exitCode = EXIT.input;
    return;
  }
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed the problem (or the help/version asked for).
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.input;
    } else if (e instanceof InputError) {
      console.error(e.message);
      process.exitCode = EXIT.input;
    } else {
      console.error(`twinedge: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = EXIT.failed;
    }
  }
}
