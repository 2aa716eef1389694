import { readFileSync, writeFileSync } from 'node:fs';
import { parseSiteJson } from '../../core/site/site-schema';
import { SiteRepository, siteMigrations } from '../../core/site/site-repository';
import type { Site } from '../../core/site/site-types';
import { applyMigrations } from '../../core/storage/migrations';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { join } from 'node:path';
import { resolveDataDir } from '../station/data-dir';
import { CliError, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';

const HELP = `
Usage: microgrid site <validate|import|export> [FILE] [options]

  validate FILE   check a site file and name every bad field
  import FILE     validate and store the site in the data directory (replaces the current one)
  export [FILE]   write the stored site as JSON (to stdout without FILE)

Options: --data-dir DIR, --json`;

/** Reads and validates a site file; any problem becomes one clear line naming file and field. */
export function loadSiteFile(path: string): Site {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read site file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const parsed = parseSiteJson(text);
  if (!parsed.ok) throw new CliError(`invalid site file ${path}: ${parsed.error.message}`);
  return parsed.value;
}

export const siteCommand: Command = {
  summary: 'validate, import or export the site configuration (JSON)',
  help: HELP,
  options: { ...COMMON_OPTIONS },
  async run({ values, positionals, io }) {
    const [action, file] = positionals;
    if (action === 'validate') {
      if (!file) throw new UsageError('site validate needs a FILE');
      const text = readText(file);
      const parsed = parseSiteJson(text);
      if (values.json)
        printJson(io, parsed.ok ? { ok: true } : { ok: false, issues: parsed.error.issues });
      if (!parsed.ok) {
        if (!values.json) parsed.error.issues.forEach((i) => io.err(`${file}: ${i.message}`));
        return 1;
      }
      if (!values.json)
        io.out(
          `${file}: valid site "${parsed.value.name}" (${parsed.value.devices.length} devices, ${parsed.value.members.length} members)`,
        );
      return 0;
    }
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    if (action === 'import') {
      if (!file) throw new UsageError('site import needs a FILE');
      const site = loadSiteFile(file);
      withRepository(dataDir, (repo) => repo.save(site, 'file', Date.now()));
      if (values.json) printJson(io, { imported: site.id, dataDir });
      else io.out(`imported site "${site.name}" into ${dataDir}`);
      return 0;
    }
    if (action === 'export') {
      const stored = withRepository(dataDir, (repo) => repo.load());
      if (!stored) throw new CliError(`no site stored in ${dataDir}`);
      const text = `${JSON.stringify(stored.site, null, 2)}\n`;
      if (file) writeFileSync(file, text);
      else io.out(text.trimEnd());
      return 0;
    }
    throw new UsageError(
      action
        ? `unknown site action "${action}"`
        : 'site needs an action: validate, import or export',
    );
  },
};

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function withRepository<T>(dataDir: string, fn: (repo: SiteRepository) => T): T {
  const db = openSqlite(join(dataDir, 'station.db'), { synchronous: 'full' });
  try {
    applyMigrations(db, siteMigrations);
    return fn(new SiteRepository(db));
  } finally {
    db.close();
  }
}
