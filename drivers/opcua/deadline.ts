// Bounds for promises that node-opcua may never settle (a silent peer, a half-open socket):
// the caller gets an answer in time and the late outcome is swallowed, never unhandled.

export type Bounded<T> = { done: true; value: T } | { done: false };

/** Resolves with the promise's value, or `{ done: false }` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number): Promise<Bounded<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ done: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Waits at most `ms` for `promise` to settle, ignoring its outcome (for clean-up steps). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  await within(
    promise.catch(() => undefined),
    ms,
  );
}

/** A point in time a sequence of steps must finish by. */
export class Deadline {
  private readonly atMs: number;

  constructor(readonly totalMs: number) {
    this.atMs = Date.now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.atMs - Date.now());
  }
}
