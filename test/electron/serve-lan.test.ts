// `microgrid serve --lan`: other PCs of the site get the station over HTTPS with login only.
// Spawned as a user runs it, with the data directory's self-signed certificate.
import { request as httpsRequest } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServe, TEST_ADMIN, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-serve-lan-');
let running: ServedStation | undefined;
afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

function get(url: string, ca: string, cookie?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, headers: cookie ? { cookie } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('microgrid serve --lan', () => {
  it('refuses other addresses without --lan, and the LAN before an account exists', async () => {
    const dir = tempDir();
    const plain = await runCli(['serve', '--host', '0.0.0.0', '--data-dir', dir]);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/refusing to bind 0\.0\.0\.0 without --lan/);
    const early = await runCli(['serve', '--lan', '--port', '0', '--data-dir', dir], {
      timeoutMs: 40_000,
    });
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/before an account exists: create the admin first/);
    const half = await runCli(['serve', '--lan', '--tls-cert', 'x.pem', '--data-dir', dir]);
    expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
  }, 60_000);

  it('serves HTTPS with a self-signed certificate whose fingerprint it prints; API needs login', async () => {
    const dir = tempDir();
    const pw = join(dir, 'pw');
    writeFileSync(pw, `${TEST_ADMIN.password}\n`);
    const added = await runCli([
      'user',
      'add',
      '--name',
      TEST_ADMIN.user,
      '--role',
      'admin',
      '--password-file',
      pw,
      '--data-dir',
      dir,
    ]);
    expect(added.code).toBe(0);
    running = await startServe(['--lan', '--host', '127.0.0.1', '--data-dir', dir], 60_000);
    expect(running.info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const cert = readFileSync(join(dir, 'tls', 'cert.pem'), 'utf8');
    const fingerprint = new X509Certificate(cert).fingerprint256;
    expect(running.stderr()).toContain(fingerprint);
    expect(await get(`${running.info.url}api/health`, cert)).toBe(200);
    expect(await get(`${running.info.url}api/site`, cert)).toBe(401);
    const login = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        `${running!.info.url}api/login`,
        { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie'] ?? ''));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(TEST_ADMIN));
    });
    expect(login).toMatch(/; Secure/);
    expect(await get(`${running.info.url}api/site`, cert, login.split(';')[0])).toBe(200);
  }, 90_000);
});
