// Independent Modbus masters from Debian (mbpoll, pymodbus) for interop tests. A missing
// tool fails the test with how to install it, never skips it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PYTHON = '/usr/bin/python3';
export const INSTALL_HINT = 'install it with: sudo apt-get install mbpoll python3-pymodbus';

export async function tool(file: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(file, args, { timeout: 10_000 });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(`${file} is not installed; ${INSTALL_HINT}`, { cause: error });
    throw new Error(
      `${file} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      {
        cause: error,
      },
    );
  }
}

export async function requirePymodbus(): Promise<void> {
  try {
    await run(PYTHON, ['-c', 'import pymodbus']);
  } catch (error) {
    throw new Error(`${PYTHON} cannot import pymodbus; ${INSTALL_HINT}`, { cause: error });
  }
}

/** mbpoll prints one `[reference]: value` line per value; references are 1-based. */
export function parseMbpoll(stdout: string): Map<number, string> {
  const values = new Map<number, string>();
  for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm))
    values.set(Number(match[1]), match[2]!);
  return values;
}
