// Running the commissioning commands in-process for tests: main() with a captured CliIo,
// or a command built with a fake terminal (progress on a "TTY", Ctrl+C, confirmation).
import { parseArgs } from 'node:util';
import { expect } from 'vitest';
import type { CliIo } from '../../../../electron/cli/cli-io';
import type { Command } from '../../../../electron/cli/command';
import { main } from '../../../../electron/cli/main';
import type { Terminal } from '../../../../electron/cli/progress';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTty = false): { io: CliIo; run: (code: number) => Run } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), isTty },
    run: (code) => ({ code, stdout: out.join('\n'), stderr: err.join('\n') }),
  };
}

export async function cli(args: string[]): Promise<Run> {
  const c = capture();
  return c.run(await main(args, c.io));
}

/** Runs a command built with a fake terminal, the way main() would (errors as one line). */
export async function runWith(command: Command, args: string[], isTty: boolean) {
  const c = capture(isTty);
  const parsed = parseArgs({ args, options: command.options, allowPositionals: true });
  try {
    return c.run(await command.run({ ...parsed, io: c.io }));
  } catch (error) {
    c.io.err(`microgrid: ${(error as Error).message}`);
    return c.run((error as { exitCode?: number }).exitCode ?? 1);
  }
}

export interface FakeTerminalOptions {
  /** What the user answers to a confirmation. */
  answer?: boolean;
  /** "Presses Ctrl+C" when a progress update contains this text. */
  interruptAt?: string;
}

/** A TTY on both ends that records progress updates and questions. */
export function fakeTerminal(
  options: FakeTerminalOptions = {},
): Terminal & { writes: string[]; questions: string[] } {
  const writes: string[] = [];
  const questions: string[] = [];
  const controller = new AbortController();
  return {
    writes,
    questions,
    progress: {
      isTty: true,
      write: (text) => {
        writes.push(text);
        if (options.interruptAt !== undefined && text.includes(options.interruptAt))
          controller.abort();
      },
    },
    stdinIsTty: true,
    interrupt: () => ({ signal: controller.signal, dispose: () => undefined }),
    confirm: (question) => {
      questions.push(question);
      return Promise.resolve(options.answer ?? true);
    },
  };
}

export function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^microgrid: /);
  expect(lines[0]).toMatch(pattern);
}
