// No text that reaches a CSV can start a spreadsheet formula; numbers stay numbers.
import { describe, expect, it } from "vitest";
import { METRICS, type Metrics, type TrialRecord } from "../src/contracts/record.js";
import { csvCell, csvLine } from "../src/results/csv.js";
import { summaryCsv } from "../src/results/summary.js";

describe("CSV cells", () => {
  it("neutralise text starting with = + - @ tab or CR, and leave numbers alone", () => {
    expect(["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"].map(csvCell)).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
    expect([-3, -0.5, 1e-7, 0].map(csvCell)).toEqual(["-3", "-0.5", "1e-7", "0"]);
    expect([true, "nearest", "a,b", null, Number.NaN].map(csvCell)).toEqual(["true", "nearest", "\"a,b\"", "", ""]);
    expect(csvLine(["=HYPERLINK(\"http://x\")", -1])).toBe("\"'=HYPERLINK(\"\"http://x\"\")\",-1\n");
  });

  it("in summary.csv, for a policy name and a text axis value, keep negative axis numbers", () => {
    const metrics = Object.fromEntries(METRICS.map((m) => [m, 1])) as Metrics;
    const base = { scenario: "s", pointIndex: 0, seed: 1, config: {}, backend: "js", codeHash: "c", wasmSha256: null, status: "ok", users: 1, sites: 1, slots: 1, metrics } as const;
    const records: TrialRecord[] = [
      { ...base, id: "0000000000000001", point: { mode: "@cmd", offset: -4 }, policy: "=cmd|' /C calc'!A0" },
      { ...base, id: "0000000000000002", point: { mode: "-2+3", offset: -4 }, policy: "local" },
    ];
    const lines = summaryCsv(records, ["mode", "offset"]).split("\n");
    expect(lines[1]).toBe("'@cmd,-4,'=cmd|' /C calc'!A0,latencyS,1,1,,,");
    expect(lines.find((l) => l.startsWith("'-2+3,-4,local,latencyS,"))).toBeDefined();
    expect(lines.every((l) => !/(^|,)[=+\-@]/.test(l.replace(/(^|,)-\d/g, "$1")))).toBe(true);
  });
});
