// Every argument of every command passes a zod schema before the command sees it: the
// command's own option list (parseArgs already refuses unknown flags and wrong kinds) turned
// into a strict schema of lengths and characters, plus what the command adds for its values
// (`Command.schema`: roles, ranges, formats). A refusal is one usage line naming the flag.
import { z } from 'zod';
import type { Command } from './command';
import { UsageError } from './cli-io';

const MAX_ARGUMENT_CHARS = 4096;
const MAX_POSITIONALS = 16;
// Control characters in a path or name are never meant, and would garble the one-line errors.
const isControl = (s: string): boolean =>
  [...s].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || code === 0x7f;
  });

const argument = (what: string) =>
  z
    .string()
    .max(MAX_ARGUMENT_CHARS, `${what} is longer than ${MAX_ARGUMENT_CHARS} characters`)
    .refine((s) => !isControl(s), `${what} contains control characters`);

export function argumentSchema(command: Command): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, option] of Object.entries(command.options)) {
    const one = option.type === 'boolean' ? z.boolean() : argument(`--${name}`);
    shape[name] = (option.multiple ? z.array(one).max(64) : one).optional();
  }
  return z.strictObject({
    values: z.strictObject(shape),
    positionals: z.array(argument('an argument')).max(MAX_POSITIONALS, 'too many arguments'),
  });
}

/** Throws a UsageError naming the first bad argument. */
export function checkArguments(
  command: Command,
  parsed: { values: Record<string, unknown>; positionals: string[] },
): void {
  const base = argumentSchema(command).safeParse(parsed);
  const checked = base.success && command.schema ? command.schema.safeParse(parsed.values) : base;
  if (checked.success) return;
  const issue = checked.error.issues[0];
  const flag = issue?.path.find(
    (p) => typeof p === 'string' && p !== 'values' && p !== 'positionals',
  );
  const message = issue?.message ?? 'bad arguments';
  throw new UsageError(
    flag && !message.includes(`--${String(flag)}`) ? `--${String(flag)}: ${message}` : message,
  );
}
