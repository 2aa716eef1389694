// A connected pair of pseudo-terminals made by socat: what one end writes, the other reads, as
// if a null-modem cable joined two serial ports. Baud rate and parity are accepted and ignored
// (a pty has no wire), so timing tests measure our silences, not the line's. A missing socat
// fails the test with how to install it, never skips it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export const SOCAT_INSTALL_HINT = 'install it with: sudo apt-get install socat';

export interface PtyPair {
  /** Folder holding the two links. */
  dir: string;
  /** Symlinks to the two ends, e.g. `/tmp/mg-pty-x/a` → `/dev/pts/3`. */
  a: string;
  b: string;
  /** Kills socat: both ends go away, as when an adapter is unplugged. Resolves once it exited. */
  kill(): Promise<void>;
}

/** A pty pair with links `a` and `b` in `dir` (a fresh folder if not given). */
export async function ptyPair(givenDir?: string): Promise<PtyPair> {
  const dir = givenDir ?? mkdtempSync(join(tmpdir(), 'mg-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  try {
    await ready(socat, [a, b]);
  } catch (error) {
    if (!givenDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    a,
    b,
    kill: async () => {
      if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM');
      await exited;
    },
  };
}

/** Pairs made through the returned function are killed, and their folders removed, after each test. */
export function usePtyPairs(): (dir?: string) => Promise<PtyPair> {
  const pairs: PtyPair[] = [];
  afterEach(async () => {
    const done = pairs.splice(0);
    await Promise.all(done.map((pair) => pair.kill()));
    for (const dir of new Set(done.map((pair) => pair.dir)))
      rmSync(dir, { recursive: true, force: true });
  });
  return async (dir) => {
    const pair = await ptyPair(dir);
    pairs.push(pair);
    return pair;
  };
}

/** Resolves once socat runs its transfer loop and both links exist. */
function ready(socat: ChildProcess, links: string[], timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(
      () =>
        fail(
          new Error(`socat did not create ${links.join(' and ')} in ${timeoutMs} ms\n${stderr}`),
        ),
      timeoutMs,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socat.kill('SIGKILL');
      reject(error);
    };
    socat.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? new Error(`socat is not installed; ${SOCAT_INSTALL_HINT}`, { cause: error })
          : error,
      ),
    );
    const onExit = (code: number | null): void =>
      fail(new Error(`socat exited (${code}) before the ptys were ready\n${stderr}`));
    socat.once('exit', onExit);
    socat.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!stderr.includes('starting data transfer loop') || !links.every((l) => existsSync(l)))
        return;
      clearTimeout(timer);
      socat.off('exit', onExit);
      resolve();
    });
  });
}
