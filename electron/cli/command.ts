import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { CliIo } from './cli-io';

export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  io: CliIo;
}

export interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Rules for the option values beyond their kind (cli-schema.ts checks both first). */
  schema?: z.ZodType;
  run(ctx: CommandContext): Promise<number>;
}

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;
