// `microgrid` command line: one entry, one sub-command per job. Every failure the user can
// fix is one line on stderr and a non-zero exit code, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, processIo, UsageError, type CliIo } from './cli-io';
import { checkArguments } from './cli-schema';
import { COMMANDS, usage } from './commands';

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(await usage(rest[0]));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out((await import('../../package.json', { with: { type: 'json' } })).default.version);
    return 0;
  }
  const entry = COMMANDS[name];
  try {
    if (!entry) throw new UsageError(`unknown command "${name}"`);
    const command = await entry.load();
    const config: ParseArgsConfig = {
      args: [...rest],
      options: command.options,
      allowPositionals: true,
      strict: true,
    };
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(config);
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
    }
    if (parsed.values.help) {
      io.out(await usage(name));
      return 0;
    }
    checkArguments(command, parsed);
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`microgrid: ${error.message}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`microgrid: ${message}`);
    if (process.env.MICROGRID_DEBUG) io.err(error instanceof Error ? (error.stack ?? '') : '');
    return 1;
  }
}
