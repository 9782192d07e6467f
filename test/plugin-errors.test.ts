// A bad plug-in is an error naming its field before any trial runs (nothing written, exit 2);
// a bad decision at run time fails its trials with an error naming the policy.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { loadScenario } from "../src/sweep/load.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { runTrialLoaded } from "../src/run/trial.js";

const base = { slots: 6, seeds: [1, 2], sites: { count: 3 }, users: { perSite: 4 }, tasks: { arrivalRate: 0.2 } };

/** A scenario folder with these module files; the scenario lists `local` and the plug-in entries. */
function folder(files: Record<string, string>, plugins: (object | string)[], extra: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-err-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "s.json"), JSON.stringify({ ...base, policies: ["local", ...plugins], ...extra }));
  return dir;
}

/** The error message of a run refused before anything is written (its --out never created). */
async function refusal(dir: string): Promise<string> {
  const out = join(dir, "out");
  const e = await runSweep(join(dir, "s.json"), { out, backend: "js", threads: 1, progress: false, figures: false }).then(() => undefined, (err: Error) => err);
  expect(e?.name).toBe("InputError");
  expect(existsSync(out)).toBe(false);
  return e!.message;
}

const ok = "export const createPolicy = () => ({ act() {} });\n";

describe("plug-in modules checked at load", () => {
  it("a missing file: policies[k].module, with the resolved path", async () => {
    const dir = folder({}, [{ name: "mine", module: "./nope.mjs" }]);
    expect(() => loadScenario(join(dir, "s.json"))).toThrow(`s.json: policies[1].module: cannot load ./nope.mjs: no such file (${join(dir, "nope.mjs")})`);
    expect(await refusal(dir)).toMatch(/policies\[1\]\.module: cannot load \.\/nope\.mjs: no such file/);
  });

  it("a syntax error, in JavaScript and in TypeScript, with its line", async () => {
    const dir = folder({ "a.mjs": "export const x = 1;\nexport function createPolicy( {\n", "b.ts": "export const createPolicy = (ctx: any) => ({ act() { } };\n" },
      [{ name: "a", module: "./a.mjs" }, { name: "b", module: "./b.ts" }]);
    const m = await refusal(dir);
    expect(m).toMatch(/^.*s\.json: policies\[1\]\.module: cannot load \.\/a\.mjs: SyntaxError: .* \(line 2\)$/m);
    expect(m).toMatch(/^.*s\.json: policies\[2\]\.module: cannot load \.\/b\.ts: TypeScript: .*expected.* \(line 1\)$/m);
  });

  it("no createPolicy export, or one that is not a function", async () => {
    const dir = folder({ "none.mjs": "export const policy = 1;\n", "num.mjs": "export const createPolicy = 42;\n", "def.mjs": "export default { act() {} };\n" },
      [{ name: "none", module: "./none.mjs" }, { name: "num", module: "./num.mjs" }, { name: "def", module: "./def.mjs" }]);
    const m = await refusal(dir);
    expect(m).toContain("policies[1]: ./none.mjs: the module exports no createPolicy (a named export, or the default export)");
    expect(m).toContain("policies[2]: ./num.mjs: the module's createPolicy export is not a function (it is number)");
    expect(m).toContain("policies[3]: ./def.mjs: the module's default export is not a function (it is object)");
  });

  it("CommonJS modules: exports found by name or as the default", async () => {
    const dir = folder({ "a.js": "module.exports = { createPolicy: (ctx) => ({ act() {} }) };\n", "b.js": "module.exports = (ctx) => ({ act() {} });\n", "c.js": "exports.createPolicy = 'no';\n" },
      [{ name: "a", module: "./a.js" }, { name: "b", module: "./b.js" }, { name: "c", module: "./c.js" }]);
    expect(await refusal(dir)).toMatch(/^[^\n]*policies\[3\]: \.\/c\.js: the module's createPolicy export is not a function \(it is string\)$/);
    const ok2 = folder({ "a.js": "module.exports = { createPolicy: (ctx) => ({ act() {} }) };\n", "b.js": "module.exports = (ctx) => ({ act() {} });\n" },
      [{ name: "a", module: "./a.js" }, { name: "b", module: "./b.js" }]);
    const r = await runSweep(join(ok2, "s.json"), { out: join(ok2, "out"), backend: "js", threads: 1, progress: false, figures: false });
    expect(r.records.map((t) => `${t.policy} ${t.status}`)).toEqual(["local ok", "local ok", "a ok", "a ok", "b ok", "b ok"]);
  });

  it("a module that throws while loading", async () => {
    const dir = folder({ "t.mjs": "throw new Error('not configured');\n" }, [{ name: "t", module: "./t.mjs" }]);
    expect(await refusal(dir)).toMatch(/policies\[1\]\.module: cannot load \.\/t\.mjs: Error: not configured/);
  });

  it("names that clash with a built-in or another entry, a bad extension, a missing module", () => {
    const dir = folder({ "m.mjs": ok }, [
      { name: "greedy", module: "./m.mjs" }, { name: "mine", module: "./m.mjs" }, { name: "mine", module: "./m.mjs" },
    ]);
    expect(() => loadScenario(join(dir, "s.json"))).toThrow(/policies\[1\]\.name: "greedy" is a built-in policy/);
    const reserved = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
    const dirR = folder({ "m.mjs": ok }, reserved.map((name) => ({ name, module: "./m.mjs" })));
    const msgR = (() => { try { loadScenario(join(dirR, "s.json")); return ""; } catch (e) { return (e as Error).message; } })();
    reserved.forEach((name, k) => expect(msgR).toContain(`policies[${k + 1}].name: "${name}" is the name of a JavaScript object property (reserved: the figures cannot take it): give the plug-in another name`));
    const dir2 = folder({ "m.mjs": ok }, [{ name: "mine", module: "./m.mjs" }, { name: "mine", module: "./m.mjs" }, "local"]);
    const msg = (() => { try { loadScenario(join(dir2, "s.json")); return ""; } catch (e) { return (e as Error).message; } })();
    expect(msg).toContain('policies[2].name: expected distinct policies: "mine" is also policies[1]');
    expect(msg).toContain('policies[3]: expected distinct policies: "local" is also policies[0]');
    const dir3 = folder({ "m.mjs": ok }, [{ name: "py", module: "./p.py" }, { name: "x" }, { name: "y", module: "./m.mjs", opts: {} }]);
    expect(() => loadScenario(join(dir3, "s.json"))).toThrow(/policies\[1\]\.module: expected a module file ending in \.js, \.mjs, \.ts, \.mts\n.*policies\[2\]: expected a plug-in \{"name", "module", "options"\}: module: expected a module path\n.*policies\[3\]\.opts: unknown field/);
  });

  it("a reference naming a plug-in is accepted, an unknown one refused", () => {
    const dir = folder({ "m.mjs": ok }, [{ name: "mine", module: "./m.mjs" }], { reference: ["mine"] });
    expect(loadScenario(join(dir, "s.json")).trials.map((t) => t.policy)).toEqual(["local", "local", "mine", "mine"]);
    const bad = folder({ "m.mjs": ok }, [{ name: "mine", module: "./m.mjs" }], { reference: "min" });
    expect(() => loadScenario(join(bad, "s.json"))).toThrow(/reference: expected one of this scenario's policies \(local, mine\), got "min"/);
  });

  it("the CLI exits 2 and writes nothing", () => {
    const dir = folder({ "none.mjs": "export {};\n" }, [{ name: "none", module: "./none.mjs" }]);
    for (const cmd of [["run", join(dir, "s.json"), "--out", join(dir, "out")], ["validate", join(dir, "s.json")]]) {
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...cmd], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("s.json: policies[1]: ./none.mjs: the module exports no createPolicy");
    }
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("plug-in decisions checked at run time", () => {
  const decide = (body: string) => `export function createPolicy(ctx) { return { act(obs, out) { for (let i = 0; i < obs.users; i++) { if (!obs.active[i]) continue; ${body} } } }; }\n`;
  const cases: [string, string, RegExp][] = [
    ["theta", "out.theta[i] = 0.3;", /^policy bad made an invalid decision for user \d+ in slot \d+: theta=0\.3 is not one of actions\.localFractions \(0, 0\.25, 0\.5, 0\.75, 1\)$/],
    ["NaN", "out.theta[i] = NaN;", /^policy bad made an invalid decision for user \d+ in slot \d+: theta=NaN is not one of/],
    ["server", "out.theta[i] = 0; out.server[i] = obs.sites.count;", /^policy bad made an invalid decision for user \d+ in slot \d+: server=3 is not a site index in \[0, 3\)$/],
    ["migrateTo", "out.theta[i] = 0; out.migrateTo[i] = out.server[i];", /^policy bad made an invalid decision for user \d+ in slot \d+: migrateTo=\d is neither -1 nor a site index in \[0, 3\) other than server/],
    ["beta", "out.theta[i] = 0.5; out.beta[i] = 0.7; out.migrateTo[i] = (out.server[i] + 1) % 3;", /: beta=0\.7 is not in \[0, 1 - theta\] = \[0, 0\.5\]$/],
    ["throw", "throw new Error('oops');", /^policy bad: act\(\) threw in slot \d+: oops$/],
  ];
  for (const threads of [1, 2]) {
    it(`fail the trial, naming the policy; the other policies run (threads ${threads})`, async () => {
      const files = Object.fromEntries(cases.map(([n, body]) => [`${n}.mjs`, decide(body)]));
      const dir = folder(files, cases.map(([n]) => ({ name: n, module: `./${n}.mjs` })));
      const r = await runSweep(join(dir, "s.json"), { out: join(dir, "out"), backend: threads === 1 ? "js" : "wasm", threads, progress: false, figures: false });
      expect(r.records.filter((t) => t.policy === "local").map((t) => t.status)).toEqual(["ok", "ok"]);
      for (const [n, , want] of cases) {
        const bad = r.records.filter((t) => t.policy === n);
        expect(bad.length, n).toBe(2);
        for (const t of bad) expect(t.status === "failed" ? t.error : "ok", n).toMatch(new RegExp(want.source.replace("policy bad", `policy ${n}`)));
      }
      expect(r.failed).toBe(2 * cases.length);
    });
  }

  it("a factory that throws or returns no policy fails the trial, naming the policy", async () => {
    const dir = folder({
      "opt.mjs": "export function createPolicy(ctx) { if (typeof ctx.options.k !== 'number') throw new Error('options.k: expected a number'); return { act() {} }; }\n",
      "none.mjs": "export default () => 42;\n",
    }, [{ name: "opt", module: "./opt.mjs", options: { k: "x" } }, { name: "none", module: "./none.mjs" }]);
    const r = await runSweep(join(dir, "s.json"), { out: join(dir, "out"), backend: "js", threads: 1, progress: false, figures: false });
    const errors = r.records.filter((t) => t.status === "failed").map((t) => (t.status === "failed" ? t.error : ""));
    expect(errors).toEqual([
      "policy opt: createPolicy threw: options.k: expected a number", "policy opt: createPolicy threw: options.k: expected a number",
      "policy none: createPolicy returned no policy (an object with an act(obs, out) method)", "policy none: createPolicy returned no policy (an object with an act(obs, out) method)",
    ]);
  });

  it("a module changed after the scenario was loaded is refused before any trial, and a trial runner never runs the new code", async () => {
    const dir = folder({ "m.mjs": ok }, [{ name: "mine", module: "./m.mjs" }]);
    const loaded = loadScenario(join(dir, "s.json"));
    writeFileSync(join(dir, "m.mjs"), `${ok}// edited\n`);
    const r = await runSweep(join(dir, "s.json"), { out: join(dir, "out"), backend: "wasm", threads: 2, progress: false, figures: false, loaded })
      .then((x) => x, (e: Error) => e);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(/policies\[1\]\.module: cannot load \.\/m\.mjs: the file has changed since the scenario was loaded \(its SHA-256 is now [0-9a-f]{64}\)/);
    expect(existsSync(join(dir, "out"))).toBe(false);
    // What a worker does with a trial of the old hash.
    const out = await runTrialLoaded(loaded.trials.find((t) => t.policy === "mine")!, "js");
    expect(out.record.status === "failed" && out.record.error).toMatch(/^policy mine: \.\/m\.mjs: the file has changed since the scenario was loaded/);
  });
});
