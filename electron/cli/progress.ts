// Terminal plumbing of the commissioning commands (scan, read, registers, write): a progress
// line that rewrites itself on a TTY, Ctrl+C as an AbortSignal, a yes/no question, and
// opening the device URL a command was given. The terminal is a parameter so that tests
// can run the commands in-process as if they had one.
import { createInterface } from 'node:readline';
import type { CommissioningError } from '../../drivers/commissioning/commissioning-error';
import { openModbusTarget, type ModbusTarget } from '../../drivers/commissioning/modbus-target';
import { CliError, parseNumberFlag, UsageError } from './cli-io';

export interface Terminal {
  /** Where progress goes (stderr), and whether it is a terminal that can redraw a line. */
  progress: { isTty: boolean; write(text: string): void };
  /** Whether a question can be answered (stdin is a terminal). */
  stdinIsTty: boolean;
  /** An AbortSignal for the first Ctrl+C (SIGINT) or SIGTERM; dispose when done. */
  interrupt(): { signal: AbortSignal; dispose(): void };
  /** Asks a yes/no question; anything but "y"/"yes" is no. */
  confirm(question: string): Promise<boolean>;
}

export const processTerminal: Terminal = {
  progress: {
    isTty: Boolean(process.stderr.isTTY),
    write: (text) => void process.stderr.write(text),
  },
  stdinIsTty: Boolean(process.stdin.isTTY),
  interrupt: interruptOnSignals,
  confirm: askYesNo,
};

function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl+C means "now": do not wait for the clean stop.
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    let answered = false;
    // Ctrl+C or Ctrl+D at the prompt: no.
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (answered) return;
      process.stderr.write('\n');
      resolve(false);
    });
    rl.question(`${question} [y/N] `, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

/** One line that rewrites itself on a TTY; silent otherwise, so logs and pipes stay clean. */
export class ProgressLine {
  private shown = false;

  constructor(
    private readonly sink: Terminal['progress'],
    private readonly enabled: boolean,
    private readonly columns: number = process.stderr.columns || 80,
  ) {}

  update(text: string): void {
    if (!this.enabled || !this.sink.isTty) return;
    const fitted = text.length >= this.columns ? `${text.slice(0, this.columns - 2)}…` : text;
    this.sink.write(`\r\x1b[2K${fitted}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.sink.write('\r\x1b[2K');
    this.shown = false;
  }
}

// --- shared by the commissioning commands -------------------------------------------------

/** The one URL argument, e.g. modbus-tcp://192.168.1.20:502?unit=1. */
export function urlArgument(positionals: readonly string[], command: string): string {
  const [url, extra] = positionals;
  if (!url)
    throw new UsageError(
      `${command} needs a device URL, e.g. modbus-tcp://192.168.1.20:502?unit=1`,
    );
  if (extra !== undefined) throw new UsageError(`${command} takes one URL, got also "${extra}"`);
  return url;
}

export function timeoutFlag(raw: unknown): number | undefined {
  return parseNumberFlag('timeout-ms', raw as string | undefined, 10, 60_000, 'integer');
}

/** The failure as the one line the CLI prints; input mistakes exit 2, the rest 1. */
export function cliErrorFrom(error: CommissioningError): CliError {
  const input = ['bad_url', 'bad_unit_ids', 'bad_request'];
  return input.includes(error.code) ? new UsageError(error.message) : new CliError(error.message);
}

/** Opens the URL, runs `use`, and always closes the link again. */
export async function withTarget<T>(
  url: string,
  use: (target: ModbusTarget) => Promise<T>,
): Promise<T> {
  const target = openModbusTarget(url);
  if (!target.ok) throw cliErrorFrom(target.error);
  try {
    return await use(target.value);
  } finally {
    await target.value.close();
  }
}

/** `{ code, message }` only: the JSON a script needs from a problem. */
export function problemJson(
  problem: CommissioningError | null,
): { code: string; message: string } | null {
  return problem && { code: problem.code, message: problem.message };
}
