// Failures to write a result folder (a full disk, a read-only place, a file where a folder
// should be): reported as "PATH: cannot write (CODE)" and, being bad input to the command
// (the --out it was given), mapped by the CLI to exit 2 without a stack trace.
import { InputError } from "../validation.js";

class OutputError extends InputError {
  constructor(readonly path: string, readonly code: string) {
    super(path, [`cannot write (${code})`]);
    this.name = "OutputError";
  }
}

/** The errno code of a failed fs call, or its message when it has none. */
function errnoCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

/**
 * Runs an fs write and turns its system error into an OutputError naming `path`. Errors that
 * are already ours (InputError and subclasses) pass through; programming errors too.
 */
export function writing<T>(path: string, act: () => T): T {
  try {
    return act();
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (typeof (e as NodeJS.ErrnoException | undefined)?.code === "string") throw new OutputError(path, errnoCode(e));
    throw e;
  }
}
