// The environment server behind the Python package (`twinedge env-server`, started by
// python/twinedge/_bridge.py): one VectorEnv, driven by frames on stdin, replying on stdout
// (protocol.ts). Synchronous blocking reads and writes: a step is one read, the kernels and one
// write, with no event loop in between. It exits when its stdin closes (the Python process
// ended or was killed) or its stdout breaks; it ignores SIGINT (a terminal's Ctrl-C is the Python
// process's to handle). Errors are replies naming the field or agent; the
// server stays up for the next request.
import { readSync, writeSync } from "node:fs";
import { InputError } from "../validation.js";
import { BACKENDS, type Backend } from "../kernels/types.js";
import { FEATURES } from "./features.js";
import { openScenario, type ScenarioRequest } from "./open-scenario.js";
import { FRAME_HEADER_BYTES, MAX_REQUEST_BYTES, OP, STATUS } from "./protocol.js";
import { ActionError, ENV_POLICIES, EnvStateError, VectorEnv, type EnvPolicy, type EpisodeKind } from "./vector-env.js";

interface InitRequest {
  scenario: ScenarioRequest;
  backend?: Backend;
  episode?: EpisodeKind;
  strictMasks?: boolean;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Runs a blocking I/O call, waiting out EAGAIN (a non-blocking pipe); null at the end of the stream or a broken pipe. */
function blocking(io: () => number): number | null {
  for (;;) {
    try {
      return io();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(sleeper, 0, 0, 1);
        continue;
      }
      if (code === "EOF" || code === "EPIPE" || code === "ECONNRESET") return null;
      throw e;
    }
  }
}

/** Fills `buf` from stdin; false at the end of the stream. */
function readFully(buf: Uint8Array): boolean {
  let n = 0;
  while (n < buf.length) {
    const got = blocking(() => readSync(0, buf, n, buf.length - n, null));
    if (!got) return false;
    n += got;
  }
  return true;
}

/** Writes all of `buf` to stdout; false when the reader is gone. */
function writeFully(buf: Uint8Array): boolean {
  let n = 0;
  while (n < buf.length) {
    const put = blocking(() => writeSync(1, buf, n, buf.length - n));
    if (put === null) return false;
    n += put;
  }
  return true;
}

function frame(status: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, payload.length, true);
  v.setUint32(4, status, true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

const json = (value: unknown): Uint8Array => frame(STATUS.json, Buffer.from(JSON.stringify(value)));

function errorFrame(e: unknown): Uint8Array {
  const body = e instanceof InputError ? { type: "ScenarioError", message: e.message, issues: e.issues, source: e.source }
    : e instanceof ActionError ? { type: "ActionError", message: e.message }
      : e instanceof EnvStateError ? { type: "EnvStateError", message: e.message }
        : { type: "EnvError", message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  return frame(STATUS.error, Buffer.from(JSON.stringify(body)));
}

function parseJson(payload: Uint8Array, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString("utf8"));
  } catch {
    throw new InputError(what, ["expected a JSON object"]);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new InputError(what, ["expected a JSON object"]);
  return v as Record<string, unknown>;
}

function createEnv(r: InitRequest): { env: VectorEnv; info: unknown } {
  const backend = r.backend ?? "wasm", episode = r.episode ?? "evaluation";
  if (!BACKENDS.includes(backend)) throw new InputError("env", [`backend: expected one of ${BACKENDS.join(", ")}, got ${JSON.stringify(backend)}`]);
  if (episode !== "evaluation" && episode !== "training") throw new InputError("env", [`episode: expected "evaluation" or "training", got ${JSON.stringify(episode)}`]);
  const s = openScenario(r.scenario ?? {});
  const config = s.point.config;
  const env = new VectorEnv(config, { backend, episode, baseDir: s.baseDir, strictMasks: r.strictMasks === true, headerBytes: FRAME_HEADER_BYTES });
  const info = {
    name: s.name, users: env.users, sites: env.sites, states: env.states, actions: 7, features: FEATURES, slots: env.slots, warmupSlots: env.warmupSlots,
    pointIndex: s.pointIndex, points: s.points, point: s.point.values, policies: ENV_POLICIES, backend, episode, config,
  };
  return { env, info };
}

function seedOf(r: Record<string, unknown>): number | string {
  const seed = r.seed;
  if ((typeof seed === "number" && Number.isSafeInteger(seed)) || (typeof seed === "string" && seed.length > 0 && seed.length <= 200)) return seed;
  throw new InputError("reset", [`seed: expected an integer or a non-empty string, got ${JSON.stringify(seed)}`]);
}

/** The reply carrying the step arrays: their buffer, its free header filled in. */
function stepped(env: VectorEnv): Uint8Array {
  const b = env.out.bytes, whole = new Uint8Array(b.buffer, b.byteOffset - FRAME_HEADER_BYTES, b.length + FRAME_HEADER_BYTES);
  const v = new DataView(whole.buffer, whole.byteOffset, FRAME_HEADER_BYTES);
  v.setUint32(0, b.length, true);
  v.setUint32(4, STATUS.stepped, true);
  return whole;
}

/** Serves requests until stdin closes. Called by the CLI's `env-server` command. */
export function serveEnv(): void {
  // stdout carries the frames: anything printed goes to stderr instead.
  console.log = console.info = console.debug = console.error;
  // A terminal's Ctrl-C signals the whole foreground process group: the Python process gets its
  // KeyboardInterrupt, and this server, which exits when its stdin closes, stays up for the next
  // request (the handler never runs: the loop below never yields to the event loop).
  process.on("SIGINT", () => {});
  const header = new Uint8Array(FRAME_HEADER_BYTES), hv = new DataView(header.buffer);
  let env: VectorEnv | undefined;
  let actions = new Int32Array(0);
  for (;;) {
    if (!readFully(header)) return;
    const length = hv.getUint32(0, true), op = hv.getUint32(4, true);
    if (length > MAX_REQUEST_BYTES) throw new Error(`env-server: a request of ${length} bytes (above ${MAX_REQUEST_BYTES}): the stream is out of step`);
    // A step's actions are read straight into the Int32Array handed to the environment.
    if (op === OP.step && env && length === 4 * env.users) {
      if (actions.length !== env.users) actions = new Int32Array(env.users);
      if (!readFully(new Uint8Array(actions.buffer))) return;
    }
    const payload = op === OP.step && env && length === 4 * env.users ? null : new Uint8Array(length);
    if (payload && !readFully(payload)) return;
    let reply: Uint8Array;
    try {
      reply = handle(op, payload);
    } catch (e) {
      reply = errorFrame(e);
    }
    if (!writeFully(reply)) return;
  }

  function handle(op: number, payload: Uint8Array | null): Uint8Array {
    if (op === OP.init) {
      const made = createEnv(parseJson(payload!, "init") as unknown as InitRequest);
      env = made.env;
      return json(made.info);
    }
    if (!env) throw new EnvStateError("the environment is not initialised (init first)");
    switch (op) {
      case OP.reset:
        env.reset(seedOf(parseJson(payload!, "reset")));
        return stepped(env);
      case OP.step:
        if (payload) throw new ActionError(`actions: expected ${env.users} int32 actions (${4 * env.users} bytes), got ${payload.length} bytes`);
        env.step(actions);
        return stepped(env);
      case OP.stepPolicy: {
        const name = Buffer.from(payload!).toString("utf8");
        if (!(ENV_POLICIES as readonly string[]).includes(name)) throw new InputError("step_policy", [`policy: expected one of ${ENV_POLICIES.join(", ")}, got ${JSON.stringify(name)}`]);
        env.stepPolicy(name as EnvPolicy);
        return stepped(env);
      }
      case OP.metrics:
        return json(env.metrics());
      case OP.state: {
        const s = env.state();
        return frame(STATUS.array, new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
      }
      default:
        throw new EnvStateError(`unknown request op ${op}`);
    }
  }
}
