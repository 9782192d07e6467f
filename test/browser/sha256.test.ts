// The browser's SHA-256 (web/seams/sha256.ts, behind the bundle's node:crypto) must be
// node:crypto's bit for bit: trial ids, record digests and wasmSha256 are made with it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { createHash as browserHash } from "../../web/seams/node-crypto.js";

const node = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

describe("the browser's sha256", () => {
  it("equals node:crypto on every length around the block and padding edges, and on text", () => {
    const bytes = new Uint8Array(300).map((_, k) => (k * 131 + 7) & 255);
    for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300]) {
      expect(browserHash("sha256").update(bytes.subarray(0, n)).digest("hex"), `length ${n}`).toBe(node(bytes.subarray(0, n)));
    }
    const text = `{"config":{"slots":60,"name":"é ✓ 𝔁"},"seed":2}`;
    expect(browserHash("sha256").update(text).digest("hex")).toBe(node(text));
    // Fed in pieces, as a stream.
    expect(browserHash("sha256").update(bytes.subarray(0, 100)).update(bytes.subarray(100)).digest("hex")).toBe(node(bytes));
  });

  it("equals node:crypto on the kernel binary the page loads", () => {
    const wasm = readFileSync(join(ROOT, "build", "kernels.wasm"));
    expect(browserHash("sha256").update(new Uint8Array(wasm)).digest("hex")).toBe(node(wasm));
  });

  it("refuses what it does not implement, by name", () => {
    expect(() => browserHash("md5")).toThrow(/createHash\("md5"\) is not available in the browser/);
  });
});
