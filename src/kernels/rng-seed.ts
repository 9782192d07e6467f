// Seeds of the named random streams: 128 bits of state from the text
// `twinedge/<trial seed>/<stream name>` (cyrb128, a public-domain 4-lane string hash), so
// every component's stream is independent of the others' and of how many draws they make.
// Both backends seed the same way; the state then lives in kernel memory.

/** 4 u32 words of xoshiro128** state for stream `name` of trial seed `seed` (never all zero). */
export function streamState(seed: number | string, name: string): Uint32Array {
  const text = `twinedge/${seed}/${name}`;
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const s = Uint32Array.of(h1, h2, h3, h4);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}
