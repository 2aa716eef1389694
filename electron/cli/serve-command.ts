import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PortInUseError, startHttpHost } from '../host/http-host';
import { resolveDataDir } from '../station/data-dir';
import { PROJECT_ROOT } from '../station/project-root';
import { startRuntime } from '../station/runtime';
import { CliError, parseNumberFlag, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { waitForShutdown } from './shutdown';
import { loadSiteFile } from './site-command';

export const DEFAULT_PORT = 7410;
const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

const HELP = `
Usage: microgrid serve [options]

Runs the station without Electron and serves the operator UI and the API on
http://127.0.0.1:${DEFAULT_PORT}/ (open it in a browser). Without a stored site it runs the
built-in demo microgrid: simulated devices on loopback Modbus TCP, polled for real.

Options:
  --port N         HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR      address to bind (default 127.0.0.1; loopback only for now)
  --site FILE      import this site file and run it
  --demo           run the demo microgrid even if a site is stored
  --speed N        demo only: simulated time runs N times faster (default 1)
  --data-dir DIR   where all state lives (or MICROGRID_DATA_DIR)
  --json           print the startup line as JSON: {"url","port","dataDir","site","demo"}
`;

export const serveCommand: Command = {
  summary: `run the station headless; UI and API on http://127.0.0.1:${DEFAULT_PORT}`,
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    site: { type: 'string' },
    demo: { type: 'boolean' },
    speed: { type: 'string' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length > 0)
      throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);
    const port =
      parseNumberFlag('port', values.port as string | undefined, 0, 65535, 'integer') ??
      DEFAULT_PORT;
    const speed = parseNumberFlag('speed', values.speed as string | undefined, 0.1, 100_000);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (!LOOPBACK.includes(host)) {
      throw new CliError(
        `refusing to bind ${host}: the station serves loopback only until LAN access with TLS and login exists`,
      );
    }
    const rendererDir = join(PROJECT_ROOT, 'out', 'renderer');
    if (!existsSync(join(rendererDir, 'index.html'))) {
      throw new CliError(`the UI is not built (${rendererDir} is missing): run \`npm run build\``);
    }
    if (values.site && values.demo) throw new UsageError('--site and --demo exclude each other');
    const site = values.site ? loadSiteFile(values.site as string) : undefined;
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    const log = (line: string): void => io.err(`[station] ${line}`);

    const station = await startRuntime({
      dataDir,
      site,
      forceDemo: Boolean(values.demo),
      speed,
      log,
    });
    let httpHost;
    try {
      httpHost = await startHttpHost(station, { host, port, rendererDir });
    } catch (error) {
      await station.stop();
      if (error instanceof PortInUseError) throw new CliError(error.message);
      throw error;
    }
    const info = {
      url: httpHost.url,
      port: httpHost.port,
      dataDir,
      site: station.site.id,
      demo: station.demo,
    };
    if (values.json) io.out(JSON.stringify(info));
    else
      io.out(
        `Microgrid Station is running at ${httpHost.url} (site "${station.site.name}"${station.demo ? ', demo' : ''}; data in ${dataDir}). Ctrl+C stops it.`,
      );

    const signal = await waitForShutdown();
    log(`${signal}: stopping`);
    await httpHost.close();
    await station.stop();
    return 0;
  },
};
