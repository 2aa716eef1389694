// Starts test/support/pymodbus-sunspec-server.py (pymodbus, Debian's python3) on a free
// loopback port and hands back what it says it put in its registers.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { PYTHON, requirePymodbus } from '../../support/interop-tools';

const SCRIPT = fileURLToPath(new URL('../../support/pymodbus-sunspec-server.py', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export type PointValue = string | number | null;

export interface ExpectedUnit {
  /** Each model's ID register address and L, in chain order. */
  models: { id: number; address: number; length: number }[];
  /** Model id → point name → engineering value (null: not implemented). */
  points: Record<string, Record<string, PointValue>>;
}

export interface PymodbusSunspec {
  port: number;
  /** Unit id → what the Python side put there. */
  expected: Record<string, ExpectedUnit>;
  stop(): Promise<void>;
}

export async function startPymodbusSunspec(): Promise<PymodbusSunspec> {
  await requirePymodbus();
  const child = spawn(PYTHON, [SCRIPT, '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const { port, expected } = await readyLine(child, () => stderr);
    return { port, expected, stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

function readyLine(
  child: ChildProcess,
  stderr: () => string,
): Promise<{ port: number; expected: Record<string, ExpectedUnit> }> {
  return new Promise((resolve, reject) => {
    let expected: Record<string, ExpectedUnit> | null = null;
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`pymodbus SunSpec server ${why}\n${stderr()}`));
    };
    const timer = setTimeout(
      () => fail(`not ready within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(`did not start: ${error.message}`));
    child.once('exit', (code) => fail(`exited with code ${code} before it was ready`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('expected ')) expected = JSON.parse(line.slice('expected '.length));
      const ready = /^ready (\d+)$/.exec(line);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      if (!expected) return fail('was ready without saying what it serves');
      resolve({ port: Number(ready[1]), expected });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
