// A standalone TrueType subset of DejaVu Sans for embedding in SVG files (@font-face with a
// data URL): the whole font is 740 KB, a subset of the characters a figure uses ~15 KB.
// fontkit subsets the outlines but writes only the tables a PDF needs; a browser also needs
// cmap, name, OS/2 and post, which are added here.
import { font, fontBytes, type Weight } from "./fonts.js";

/**
 * Digits and number punctuation are always in, so a reader can retype a tick label or a
 * value in the SVG; other characters only if the figure uses them (all of ASCII would
 * double the font's size).
 */
const ALWAYS = [..."0123456789 .,+-\u2212()%e"].map((c) => c.codePointAt(0)!);

interface Table {
  tag: string;
  data: Uint8Array;
}

/** The tables of a TrueType file, by tag. */
function readTables(file: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out = new Map<string, Uint8Array>();
  const count = v.getUint16(4);
  for (let i = 0; i < count; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(file[rec], file[rec + 1], file[rec + 2], file[rec + 3]);
    const offset = v.getUint32(rec + 8);
    const length = v.getUint32(rec + 12);
    out.set(tag, file.subarray(offset, offset + length));
  }
  return out;
}

/** Format 4 (BMP) cmap under platform 3 / encoding 1, one segment per run of consecutive code points and glyph ids. */
function cmapTable(map: ReadonlyMap<number, number>): Uint8Array {
  const cps = [...map.keys()].filter((c) => c <= 0xfffe).sort((a, b) => a - b);
  const segs: { start: number; end: number; delta: number }[] = [];
  for (const cp of cps) {
    const gid = map.get(cp)!;
    const last = segs[segs.length - 1];
    if (last && cp === last.end + 1 && ((gid - cp) & 0xffff) === last.delta) last.end = cp;
    else segs.push({ start: cp, end: cp, delta: (gid - cp) & 0xffff });
  }
  segs.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const n = segs.length;
  const subLength = 16 + 8 * n;
  const out = new Uint8Array(4 + 8 + subLength);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0); // version
  v.setUint16(2, 1); // one encoding record
  v.setUint16(4, 3); // platform: Windows
  v.setUint16(6, 1); // encoding: Unicode BMP
  v.setUint32(8, 12); // subtable offset
  let p = 12;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 * 2 ** entrySelector;
  for (const x of [4, subLength, 0, 2 * n, searchRange, entrySelector, 2 * n - searchRange]) {
    v.setUint16(p, x);
    p += 2;
  }
  for (const s of segs) { v.setUint16(p, s.end); p += 2; }
  v.setUint16(p, 0); p += 2; // reservedPad
  for (const s of segs) { v.setUint16(p, s.start); p += 2; }
  for (const s of segs) { v.setUint16(p, s.delta); p += 2; }
  for (let i = 0; i < n; i++) { v.setUint16(p, 0); p += 2; } // idRangeOffset: deltas only
  return out;
}

/**
 * The original name table without its duplicates: all Macintosh records (they include the
 * license text, which the Bitstream Vera license asks every copy to keep, in 8-bit form) and
 * the Windows records other than the license. A third of the original's 15 KB.
 */
function nameTable(original: Uint8Array): Uint8Array {
  const v = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const count = v.getUint16(2);
  const storage = v.getUint16(4);
  const kept: { rec: number[]; str: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const r = 6 + 12 * i;
    const [platform, encoding, language, nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => v.getUint16(r + o));
    if (platform === 1 || (platform === 3 && nameId !== 13)) {
      kept.push({ rec: [platform, encoding, language, nameId], str: original.subarray(storage + offset, storage + offset + length) });
    }
  }
  const header = 6 + 12 * kept.length;
  const total = header + kept.reduce((s, k) => s + k.str.length, 0);
  const out = new Uint8Array(total);
  const w = new DataView(out.buffer);
  w.setUint16(0, 0);
  w.setUint16(2, kept.length);
  w.setUint16(4, header);
  let strOffset = 0;
  kept.forEach((k, i) => {
    const r = 6 + 12 * i;
    k.rec.forEach((x, j) => w.setUint16(r + 2 * j, x));
    w.setUint16(r + 8, k.str.length);
    w.setUint16(r + 10, strOffset);
    out.set(k.str, header + strOffset);
    strOffset += k.str.length;
  });
  return out;
}

/** post format 3: the header only, no glyph names (which name a subset's glyphs wrongly). */
function postTable(original: Uint8Array): Uint8Array {
  const out = original.slice(0, 32);
  new DataView(out.buffer).setUint32(0, 0x00030000);
  return out;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  const padded = new Uint8Array((data.length + 3) & ~3);
  padded.set(data);
  const v = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

/** An sfnt file from its tables: sorted directory, 4-byte aligned data, checksums, head.checkSumAdjustment. */
function writeSfnt(tables: Table[]): Uint8Array {
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = tables.length;
  const dirLength = 12 + 16 * n;
  let total = dirLength;
  for (const t of tables) total += (t.data.length + 3) & ~3;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 16 * 2 ** entrySelector;
  v.setUint32(0, 0x00010000);
  v.setUint16(4, n);
  v.setUint16(6, searchRange);
  v.setUint16(8, entrySelector);
  v.setUint16(10, 16 * n - searchRange);
  let offset = dirLength;
  let headOffset = -1;
  tables.forEach((t, i) => {
    const r = 12 + 16 * i;
    for (let j = 0; j < 4; j++) out[r + j] = t.tag.charCodeAt(j);
    let data = t.data;
    if (t.tag === "head") {
      data = data.slice();
      new DataView(data.buffer).setUint32(8, 0); // checkSumAdjustment is computed over the file with it zeroed
      headOffset = offset;
    }
    v.setUint32(r + 4, checksum(data));
    v.setUint32(r + 8, offset);
    v.setUint32(r + 12, data.length);
    out.set(data, offset);
    offset += (data.length + 3) & ~3;
  });
  if (headOffset >= 0) v.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

/** A TrueType font with the glyphs of `text`'s characters and of printable ASCII. */
export function subsetFont(weight: Weight, text: string): Uint8Array {
  const f = font(weight);
  const codePoints = new Set<number>(ALWAYS);
  for (const ch of text) codePoints.add(ch.codePointAt(0)!);
  const sorted = [...codePoints].filter((cp) => f.hasGlyphForCodePoint(cp)).sort((a, b) => a - b);
  const subset = f.createSubset();
  const map = new Map<number, number>();
  for (const cp of sorted) map.set(cp, subset.includeGlyph(f.glyphForCodePoint(cp)));
  const fromSubset = readTables(subset.encode());
  const original = readTables(fontBytes(weight));
  const tables: Table[] = [...fromSubset].map(([tag, data]) => ({ tag, data }));
  tables.push({ tag: "cmap", data: cmapTable(map) });
  tables.push({ tag: "name", data: nameTable(original.get("name")!) });
  tables.push({ tag: "OS/2", data: original.get("OS/2")! });
  tables.push({ tag: "post", data: postTable(original.get("post")!) });
  return writeSfnt(tables);
}
