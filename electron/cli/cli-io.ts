// Shared plumbing of the CLI commands: output as text or JSON, and failures as one line.

/** A failure the user can fix: printed as one line, no stack trace, non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong flags or arguments: exit code 2, like most Unix tools. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message} (see microgrid --help)`, 2);
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  isTty: boolean;
}

export const processIo: CliIo = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  isTty: Boolean(process.stdout.isTTY),
};

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A numeric flag within [min, max]; undefined when not given. Whole numbers only for integer flags. */
export function parseNumberFlag(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
  kind: 'integer' | 'number' = 'number',
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const wellFormed =
    kind === 'integer' ? /^\d+$/.test(raw) : raw.trim() !== '' && Number.isFinite(value);
  if (!wellFormed || value < min || value > max) {
    throw new UsageError(
      `--${name} must be ${kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}
