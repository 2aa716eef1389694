import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContextOptions, Page } from 'playwright';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(PROJECT_ROOT, 'bin', 'microgrid.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `microgrid …` to completion, as a user would from a shell. */
export function runCli(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`microgrid ${args.join(' ')} did not finish; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServeInfo {
  url: string;
  port: number;
  dataDir: string;
  site: string;
  demo: boolean;
}

export interface ServedStation {
  info: ServeInfo;
  child: ChildProcess;
  stderr(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * A session cookie ("mg_session=…") of the station's admin, TEST_ADMIN: created through
   * first-run setup if the data directory has no account yet, else logged in.
   */
  adminCookie(): Promise<string>;
  /** A browser page already logged in as TEST_ADMIN (the login screen has its own test). */
  newPage(browser: Browser, options?: BrowserContextOptions): Promise<Page>;
}

/** The admin every served station in the tests gets (test/e2e/login.test.ts tests the screens). */
export const TEST_ADMIN = { user: 'site-admin', password: 'a long admin passphrase' };

/** Starts `microgrid serve --json` on a free port and waits for its startup line. */
export function startServe(args: readonly string[], timeoutMs = 30_000): Promise<ServedStation> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], {
    cwd: PROJECT_ROOT,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start; stderr: ${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line) as ServeInfo;
      let cookie: Promise<string> | null = null;
      const adminCookie = (): Promise<string> => (cookie ??= sessionCookie(info.url));
      resolve({
        info,
        child,
        stderr: () => stderr,
        adminCookie,
        async newPage(browser, options = {}) {
          const [name, value] = (await adminCookie()).split('=') as [string, string];
          const context = await browser.newContext(options);
          await context.addCookies([{ name, value, url: info.url }]);
          return context.newPage();
        },
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}; stderr: ${stderr}`));
    });
  });
}

/** First-run setup of TEST_ADMIN (from loopback), or a login if that was done already. */
async function sessionCookie(baseUrl: string): Promise<string> {
  const base = baseUrl.replace(/\/$/, '');
  const post = (path: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
  let res = await post('/api/setup');
  if (res.status === 409) res = await post('/api/login');
  if (res.status !== 200)
    throw new Error(`no admin session: HTTP ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** GET JSON; `cookie` for the routes that need a session (all but health and ledger head). */
export async function getJson<T>(url: string, cookie?: string): Promise<T> {
  const response = await fetch(url, cookie ? { headers: { cookie } } : {});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
