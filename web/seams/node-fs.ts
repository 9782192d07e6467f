// The browser bundle's node:fs (web/vite.config.ts maps the import here): the browser has no
// files, so every call says so. The simulation never reads a file: scenarios arrive as
// parsed JSON and the kernels as fetched bytes (web/seams/kernel-module.ts).
const noFiles = (name: string) => (): never => {
  throw new Error(`twinedge view: node:fs ${name} is not available in the browser (no files; use twinedge run)`);
};

/** The names modules in the bundle import (src/input-file.ts, src/io/*, src/results/*). */
export const closeSync = noFiles("closeSync"), fstatSync = noFiles("fstatSync"), openSync = noFiles("openSync"), readSync = noFiles("readSync"),
  existsSync = noFiles("existsSync"), readFileSync = noFiles("readFileSync"), readdirSync = noFiles("readdirSync"), lstatSync = noFiles("lstatSync"),
  statSync = noFiles("statSync"), writeFileSync = noFiles("writeFileSync"), writeSync = noFiles("writeSync"), mkdirSync = noFiles("mkdirSync"),
  renameSync = noFiles("renameSync"), rmSync = noFiles("rmSync"), fsyncSync = noFiles("fsyncSync"), linkSync = noFiles("linkSync");
/** src/input-file.ts reads the open flags at call time only. */
export const constants = { O_RDONLY: 0, O_NOFOLLOW: 0, O_NONBLOCK: 0 };
