// `npm run electronegativity` (and a step of `npm test`): Doyensec's Electronegativity over
// the Electron shell and the renderer's HTML, judged by electronegativity-report.ts. Exit 0
// when it passes, 1 on a HIGH or unreviewed MEDIUM finding or a file it could not parse.
//
// Offline by construction: the tool fetches translations and Electron's release list from
// GitHub; here its HTTP client answers "unavailable" without touching the network, and the
// release check (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) is left out.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  countBySeverity,
  describe,
  judge,
  readResult,
  type Finding,
  type Reviewed,
} from './electronegativity-report';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Findings looked at and kept, each with its reason. HIGH findings cannot be listed. */
export const REVIEWED: readonly Reviewed[] = [
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'electron/main.ts',
    why: 'the preload exposes only wrapper functions (request, onEvent, auth.session|setup|login|logout) through contextBridge, no ipcRenderer; test/electron/electron-shell.test.ts checks it',
  },
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'electron/main.ts',
    why: "every new window is denied (setWindowOpenHandler) and navigation stays in app://station, so a middle-click opens nothing; disableBlinkFeatures: 'Auxclick' names no current Blink feature (electron/electron#10315)",
  },
  ...['renderer/index.html', 'out/renderer/index.html'].map((file) => ({
    check: 'CSP_GLOBAL_CHECK',
    file,
    why: "its CSP evaluator warns that script-src 'self' is unsafe where an origin hosts JSONP or uploads; this origin serves only the bundled files",
  })),
];

/** What is scanned: the shell (the only files that may import electron) and the renderer's
 *  HTML as written and as built, with the built preload (its .cjs name hides it otherwise). */
function inputs(): { from: string; to: string }[] {
  const shell = readdirSync(join(ROOT, 'electron'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ from: `electron/${name}`, to: `electron/${name}` }));
  const built = [
    { from: 'out/renderer/index.html', to: 'out/renderer/index.html' },
    { from: 'out/preload/index.cjs', to: 'out/preload/index.js' },
  ].filter(({ from }) => existsSync(join(ROOT, from)));
  return [...shell, { from: 'renderer/index.html', to: 'renderer/index.html' }, ...built];
}

/** Copies the inputs into one folder (the tool scans one) and maps its paths back. */
function stage(dir: string): (file: string) => string {
  const back = new Map<string, string>();
  for (const { from, to } of inputs()) {
    const source = join(ROOT, from);
    // Its inline `eng-disable` comments would hide findings before we see them.
    if (readFileSync(source, 'utf8').includes('eng-disable'))
      throw new Error(`${from}: eng-disable comments are not allowed; add to REVIEWED instead`);
    cpSync(source, join(dir, to));
    back.set(join(dir, to), from);
  }
  return (file) => back.get(file) ?? relative(dir, file);
}

/** Electronegativity's `got`, replaced before the tool loads: every request "fails". */
function keepOffline(require: NodeJS.Require, toolDir: string): void {
  const gotPath = require.resolve('got', { paths: [toolDir] });
  const offline = Object.assign(async () => ({ statusCode: 503, body: '' }), {
    stream: () => {
      throw new Error('offline');
    },
  });
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = offline;
  require.cache[gotPath] = stub;
}

export async function scan(): Promise<Finding[]> {
  const require = createRequire(import.meta.url);
  const toolMain = require.resolve('@doyensec/electronegativity');
  keepOffline(require, dirname(toolMain));
  const run = require(toolMain) as (options: object) => Promise<unknown>;
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const dir = mkdtempSync(join(tmpdir(), 'mg-electronegativity-'));
  try {
    const toRepoPath = stage(dir);
    const result = await run({
      input: dir,
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      // Its README says electronVersion, its code reads electronVersionOverride.
      electronVersion,
      electronVersionOverride: electronVersion,
    });
    return readResult(result, toRepoPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const findings = await scan();
  const verdict = judge(findings, REVIEWED);
  const counts = countBySeverity(findings);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Electronegativity: ${counts.HIGH} high, ${counts.MEDIUM} medium, ${counts.LOW} low, ${counts.INFORMATIONAL} informational (${seconds} s)`,
  );
  for (const { finding, why } of verdict.reviewed)
    console.log(`  reviewed: ${describe(finding)}\n    why: ${why}`);
  for (const finding of verdict.notes) console.log(`  note: ${describe(finding)}`);
  // stdout like the rest, so a CI log keeps the order.
  for (const failure of verdict.failures) console.log(`  FAIL: ${failure}`);
  process.exitCode = verdict.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`electronegativity: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
