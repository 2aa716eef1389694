import { browseCommand } from './browse-command';
import type { Command } from './command';
import { marketCommand } from './market-command';
import { readCommand } from './read-command';
import { registersCommand } from './registers-command';
import { scanCommand } from './scan-command';
import { serveCommand } from './serve-command';
import { simulateCommand } from './simulate-command';
import { siteCommand } from './site-command';
import { writeCommand } from './write-command';

export const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  simulate: simulateCommand,
  site: siteCommand,
  scan: scanCommand,
  read: readCommand,
  registers: registersCommand,
  write: writeCommand,
  browse: browseCommand,
  market: marketCommand,
};

export function usage(commandName?: string): string {
  const command = commandName ? COMMANDS[commandName] : undefined;
  if (command) return command.help.trim();
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'microgrid — control station for community microgrids',
    '',
    'Usage: microgrid <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options:',
    '  --data-dir DIR  where all state lives (or MICROGRID_DATA_DIR; default: the per-user app-data folder)',
    '  --json          machine-readable output where it makes sense',
    '  --help          help for a command, e.g. microgrid serve --help',
    '  --version       print the version',
  ].join('\n');
}
