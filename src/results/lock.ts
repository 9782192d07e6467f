// One writer per result folder: `.twinedge.lock`, created exclusively and holding the
// writer's pid, host and start time. A second writer is refused, naming the holder; a lock
// left by a dead process on this host is taken over (and said so). The lock is released on
// return, on exit and on SIGINT/SIGTERM.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, fstatSync, linkSync, openSync, readSync, rmSync, writeSync, constants } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../validation.js";
import { makeDir } from "../io/atomic.js";
import { writing } from "../io/output-error.js";

export const LOCK_FILE = ".twinedge.lock";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's holder, or a reason it cannot be read. Never follows a symlink nor blocks on a FIFO. */
function readHolder(path: string): LockHolder | string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code})`;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 4096) return "is not a lock file";
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    const v = JSON.parse(buf.subarray(0, n).toString("utf8")) as Partial<LockHolder>;
    if (!Number.isInteger(v.pid) || typeof v.host !== "string" || typeof v.startedAt !== "string") return "is not a lock file";
    return v as LockHolder;
  } catch {
    return "is not a lock file";
  } finally {
    closeSync(fd);
  }
}

/** Lock files this process holds: a lock naming our pid that is not here is a dead namesake's. */
const held = new Set<string>();

export class FolderLock {
  private released = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.release();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  private readonly onExit = (): void => this.release();

  private constructor(readonly path: string, readonly holder: LockHolder) {
    held.add(resolve(path));
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    process.once("exit", this.onExit);
  }

  /**
   * Takes the lock of `dir` (created if missing), or throws an InputError naming the holder.
   * `say` receives the notice when a dead process's lock is taken over.
   */
  static acquire(dir: string, say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): FolderLock {
    makeDir(dir);
    const path = join(dir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (FolderLock.create(path, me)) return new FolderLock(path, me);
      const holder = readHolder(path);
      if (typeof holder === "string") {
        throw new InputError(path, [`${holder}; if no twinedge is writing ${dir}, remove it`]);
      }
      const live = holder.pid === process.pid ? held.has(resolve(path)) : alive(holder.pid);
      if (holder.host !== me.host || live) {
        throw new InputError(path, [`${dir} is being written by pid ${holder.pid} on ${holder.host} (since ${holder.startedAt}); wait for it or choose another folder`]);
      }
      say(`${path}: taking over the lock of pid ${holder.pid} on ${holder.host} (since ${holder.startedAt}), which is no longer running`);
      writing(path, () => rmSync(path, { force: true }));
    }
    throw new InputError(path, [`${dir} is being locked by another process at the same time; try again`]);
  }

  /** Creates the lock file complete or not at all: written under a private name, then hard-linked (fails if it exists). */
  private static create(path: string, me: LockHolder): boolean {
    const tmp = `${path}.${randomBytes(8).toString("hex")}.tmp`;
    writing(path, () => {
      const fd = openSync(tmp, "wx", 0o644);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
    try {
      linkSync(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      return writing(path, () => { throw e; });
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Removes the lock if it is still this process's. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    process.removeListener("exit", this.onExit);
    held.delete(resolve(this.path));
    const now = readHolder(this.path);
    if (typeof now !== "string" && now.pid === this.holder.pid && now.startedAt === this.holder.startedAt && now.host === this.holder.host) {
      rmSync(this.path, { force: true });
    }
  }
}
