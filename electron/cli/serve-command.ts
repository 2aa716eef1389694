import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import { PortInUseError, startHttpHost } from '../host/http-host';
import { loadOrCreateTlsCertificate } from '../host/tls-certificate';
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
  --host ADDR      address to bind (default 127.0.0.1; another address needs --lan)
  --lan            serve other PCs of the site network: HTTPS only, with the certificate
                   in <data-dir>/tls (self-signed, made on first use; its fingerprint is
                   printed), login required; needs an account first (microgrid user add).
                   Binds 0.0.0.0 unless --host names an address
  --tls-cert FILE  with --lan: use this certificate (PEM) instead of the self-signed one
  --tls-key FILE   with --lan: its private key (PEM)
  --site FILE      import this site file and run it
  --demo           run the demo microgrid even if a site is stored
  --speed N        demo only: simulated time runs N times faster (default 1)
  --data-dir DIR   where all state lives (or MICROGRID_DATA_DIR)
  --json           print the startup line as JSON: {"url","port","dataDir","site","demo"}
`;

/** Value rules beyond parseArgs' kinds; ranges of numbers are checked where they are parsed. */
const schema = z
  .object({
    port: z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number')
      .optional(),
    host: z
      .string()
      .regex(/^[A-Za-z0-9.:%[\]-]{1,253}$/, 'must be a host name or an IP address')
      .optional(),
    speed: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number')
      .optional(),
  })
  .loose();

export const serveCommand: Command = {
  schema,
  summary: `run the station headless; UI and API on http://127.0.0.1:${DEFAULT_PORT}`,
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    lan: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
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
    const lan = Boolean(values.lan);
    const host = (values.host as string | undefined) ?? (lan ? '0.0.0.0' : '127.0.0.1');
    if (!lan && !LOOPBACK.includes(host))
      throw new UsageError(
        `refusing to bind ${host} without --lan: other PCs get the station over HTTPS with login only`,
      );
    if (!lan && (values['tls-cert'] || values['tls-key']))
      throw new UsageError('--tls-cert and --tls-key go with --lan');
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
      throw new UsageError('--tls-cert and --tls-key go together');
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
      let tls: { key: string; cert: string } | undefined;
      if (lan) {
        if (station.auth.needsSetup())
          throw new CliError(
            'refusing to serve the LAN before an account exists: create the admin first with `microgrid user add --name NAME --role admin --password-file FILE`',
          );
        tls = await lanCertificate(dataDir, host, values, log);
      }
      httpHost = await startHttpHost(station, { host, port, rendererDir, tls });
    } catch (error) {
      await station.stop();
      if (error instanceof PortInUseError) throw new CliError(error.message);
      if (error instanceof CliError) throw error;
      throw error;
    }
    const info = {
      url: httpHost.url,
      port: httpHost.port,
      dataDir,
      site: station.site.id,
      demo: station.demo,
    };
    if (lan)
      log(
        `serving the LAN over HTTPS at ${httpHost.origins.filter((o) => !/\/\/(localhost|127\.|\[::1\])/.test(o)).join(', ')}`,
      );
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

/** --tls-cert/--tls-key, else the data directory's self-signed certificate (made if needed). */
async function lanCertificate(
  dataDir: string,
  host: string,
  values: Record<string, unknown>,
  log: (line: string) => void,
): Promise<{ key: string; cert: string }> {
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  if (certFile && keyFile) {
    const read = (file: string): string => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    };
    const cert = read(certFile);
    const key = read(keyFile);
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(cert);
    } catch {
      throw new CliError(`${certFile} is not a PEM certificate`);
    }
    let matches: boolean;
    try {
      matches = x509.checkPrivateKey(createPrivateKey(key));
    } catch {
      throw new CliError(`${keyFile} is not a PEM private key`);
    }
    if (!matches) throw new CliError(`${keyFile} is not the key of ${certFile}`);
    log(`TLS certificate ${certFile}, SHA-256 fingerprint ${x509.fingerprint256}`);
    return { key, cert };
  }
  const made = await loadOrCreateTlsCertificate(dataDir, host);
  log(
    `${made.created ? 'made a new self-signed' : 'TLS'} certificate ${made.certPath}; browsers will ask to trust it: compare its SHA-256 fingerprint ${made.fingerprint256}`,
  );
  return made;
}
