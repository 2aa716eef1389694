import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// The screens before the app, on a station with no account yet (a fresh data directory):
// the first-run admin, logging out and in (wrong password, lock-out), an expired session
// that returns to the page it was on, an admin adding a viewer on Settings → Users, and
// the viewer seeing the station without the actions its role may not take.
const tempDir = useTempDirs('mg-e2e-login-');
const ADMIN = { user: 'chief', password: 'three blind mice' };
const VIEWER = { user: 'vera', password: 'only looking here' };
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  const site = smallSite();
  // A prepaid member at 0 raises a low-balance alarm at once: something to acknowledge.
  site.devices = [{ ...site.devices[0]!, url: 'modbus-tcp://127.0.0.1:9?unit=1' }];
  writeFileSync(siteFile, JSON.stringify(site));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  // No session cookie: this test makes its own accounts through the screens.
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

/** Text without the Unicode isolates that keep names from the site apart from the sentence. */
const plain = (text: string): string => text.replace(/[\u2066-\u2069]/g, '');

async function logIn(credentials: { user: string; password: string }): Promise<void> {
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.getByLabel('User name').fill(credentials.user);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('Login, first-run admin and roles (headless host, Chromium)', () => {
  it('asks for the admin account on the first run, explains the rule, then opens the page asked for', async () => {
    await page.goto(`${station.info.url}#/control`);
    await page.getByRole('heading', { name: 'Create the admin account' }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    await page.getByLabel('User name').fill(ADMIN.user);
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByLabel('Password again').fill('too short');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByText('The password is too short: use at least 10 characters.').waitFor();

    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Password again').fill('three blind mica');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByText('The two passwords differ.').waitFor();

    await page.getByLabel('Password again').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByRole('heading', { name: 'Control', level: 1 }).waitFor();
    expect(page.url()).toMatch(/#\/control$/);
    expect(plain(await page.getByTestId('current-user').innerText())).toBe('chief, Admin');
    await page.getByRole('button', { name: /^Switch to / }).waitFor({ timeout: 15_000 });
  }, 45_000);

  it('logs out to the login screen, says so for a wrong password, and logs in again', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(page.url()).toMatch(/#\/control$/);

    await logIn({ user: ADMIN.user, password: 'not the password' });
    await expect
      .poll(() => page.getByTestId('login-error').innerText())
      .toBe('Wrong user name or password.');

    await logIn(ADMIN);
    await page.getByRole('heading', { name: 'Control', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Switch to / }).waitFor({ timeout: 15_000 });
  }, 30_000);

  it('returns to the login screen when the session ends, and then to the same page', async () => {
    // End the session behind the app's back, as expiry does; the page keeps polling.
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    });
    expect(status).toBe(204);
    await page
      .getByText('Your session has ended. Log in again to continue where you were.')
      .waitFor({
        timeout: 15_000,
      });
    expect(page.url()).toMatch(/#\/control$/);
    await logIn(ADMIN);
    await page.getByRole('heading', { name: 'Control', level: 1 }).waitFor();
  }, 30_000);

  it('lets the admin add a viewer on Settings → Users', async () => {
    await page.goto(`${station.info.url}#/settings`);
    const users = page.getByTestId('users');
    await users.getByRole('heading', { name: 'Users' }).waitFor();
    await expect
      .poll(async () => plain(await users.getByTestId('users-table').innerText()))
      .toMatch(/chief \(you\)/);

    const form = users.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('User name').fill(VIEWER.user);
    await form.getByLabel('Role').selectOption({ label: 'Viewer' });
    await form.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await form.getByLabel('Password again').fill(VIEWER.password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await users.getByText(/vera\W* may now log in as Viewer\./).waitFor();
    const row = users.getByRole('row').filter({ hasText: 'vera' });
    expect(await row.getByRole('combobox').inputValue()).toBe('viewer');

    // The last admin may not stop being one: the station says so.
    await users
      .getByRole('row')
      .filter({ hasText: 'chief' })
      .getByRole('combobox')
      .selectOption('operator');
    const dialog = page.getByRole('dialog', { name: /Make \W*chief\W* Operator\?/ });
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await users.getByText('The station must keep at least one admin.').waitFor();

    // The admin is offered what a viewer will not be: the acknowledge button.
    await page.goto(`${station.info.url}#/alarms`);
    await page
      .getByTestId('alarms-current')
      .getByRole('button', { name: 'Acknowledge' })
      .first()
      .waitFor({ timeout: 15_000 });
  }, 45_000);

  it('shows a viewer the station without the actions the role may not take', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn(VIEWER);
    await page.getByRole('heading', { name: 'Alarms', level: 1 }).waitFor();
    expect(plain(await page.getByTestId('current-user').innerText())).toBe('vera, Viewer');
    const current = page.getByTestId('alarms-current');
    await expect.poll(() => current.innerText(), { timeout: 15_000 }).toMatch(/prepaid balance/);
    expect(await current.getByRole('button').count()).toBe(0);

    await page.goto(`${station.info.url}#/control`);
    await page.getByTestId('control-mode').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: /^Switch to / }).count()).toBe(0);
    await page.getByText('Your role (Viewer) may look but not change anything here.').waitFor();
    expect(await page.getByRole('button', { name: 'Review changes…' }).count()).toBe(0);

    await page.goto(`${station.info.url}#/devices`);
    await page.getByTestId('device-table').waitFor();
    expect(await page.getByRole('button', { name: 'Add device' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);

    await page.goto(`${station.info.url}#/settings`);
    await page.getByRole('heading', { name: 'Change my password' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
  }, 45_000);

  it('tells a locked-out user how long to wait', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    // Five failures are free; the next attempt is refused for 30 s without a check.
    for (let i = 0; i < 7; i += 1) {
      await logIn({ user: 'nobody', password: `guess number ${i}` });
      await page.getByTestId('login-error').waitFor();
    }
    await expect
      .poll(() => page.getByTestId('login-error').innerText())
      .toMatch(/^Too many failed attempts\. Try again in \d+ seconds\.$/);
  }, 30_000);
});
