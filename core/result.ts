// Expected failures are values, not exceptions (see CONVENTIONS.md): callers must look at
// `ok` before they can reach the value. Bugs and infrastructure faults still throw.
export type Result<T, E = Problem> = { ok: true; value: T } | { ok: false; error: E };

/** A failure a caller can act on: a stable code for programs, a sentence for people. */
export interface Problem {
  code: string;
  message: string;
  /** Where in the input the problem is, e.g. `devices[3].url`. */
  path?: string;
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <E = Problem>(error: E): { ok: false; error: E } => ({ ok: false, error });
