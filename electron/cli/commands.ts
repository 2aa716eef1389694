// The sub-commands, loaded only when run: `microgrid --help` or `site export` must not pay
// for node-opcua, the Modbus stack or the station (seconds on a site PC). Each summary here
// equals the command's own (a test checks), so the overview needs no module loaded.
import type { Command } from './command';

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: 'run the station headless; UI and API on http://127.0.0.1:7410',
    load: async () => (await import('./serve-command')).serveCommand,
  },
  simulate: {
    summary: 'run only the simulated demo devices (Modbus TCP) and print their endpoints',
    load: async () => (await import('./simulate-command')).simulateCommand,
  },
  site: {
    summary: 'validate, import or export the site configuration (JSON)',
    load: async () => (await import('./site-command')).siteCommand,
  },
  scan: {
    summary: 'find the Modbus units on a link and identify their SunSpec models',
    load: async () => (await import('./scan-command')).scanCommand,
  },
  read: {
    summary: 'print the decoded SunSpec points of a device, or OPC UA node values',
    load: async () => (await import('./read-command')).readCommand,
  },
  registers: {
    summary: 'read raw Modbus registers (0-based addresses), as decimal and hex',
    load: async () => (await import('./registers-command')).registersCommand,
  },
  write: {
    summary: 'write one SunSpec point (scaled) or OPC UA variable, then read it back',
    load: async () => (await import('./write-command')).writeCommand,
  },
  browse: {
    summary: 'list the nodes of an OPC UA server (node ids, classes, data types, access)',
    load: async () => (await import('./browse-command')).browseCommand,
  },
  market: {
    summary: 'clear a market interval from a JSON order book (pay-as-clear or pay-as-bid)',
    load: async () => (await import('./market-command')).marketCommand,
  },
  scenario: {
    summary: 'run a simulated day (or outage) with the station in control, and check it',
    load: async () => (await import('./scenario-command')).scenarioCommand,
  },
  user: {
    summary: 'add, list and change the station’s user accounts and roles',
    load: async () => (await import('./user-command')).userCommand,
  },
  ledger: {
    summary: 'verify the ledger, member statements with proofs, backup/restore/export',
    load: async () => (await import('./ledger-command')).ledgerCommand,
  },
};

export async function usage(commandName?: string): Promise<string> {
  const entry = commandName ? COMMANDS[commandName] : undefined;
  if (entry) return (await entry.load()).help.trim();
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
