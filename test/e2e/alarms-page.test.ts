import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// An operator and the alarms: a prepaid member with no credit raises a low-balance alarm at
// once, a grid meter nobody answers for raises "does not answer" after its 10 s delay; the
// navigation counts them; acknowledging records the operator (and a ledger entry).
const tempDir = useTempDirs('mg-e2e-alarms-');
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  const site = smallSite();
  // Port 9 (discard) on loopback: nothing listens, so the meter never answers.
  site.devices = [{ ...site.devices[0]!, url: 'modbus-tcp://127.0.0.1:9?unit=1' }];
  writeFileSync(siteFile, JSON.stringify(site));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('Alarms page (headless host, Chromium)', () => {
  it('counts alarms in the navigation and lists the low balance', async () => {
    await page.goto(`${station.info.url}#/alarms`);
    await expect
      .poll(() => page.getByTestId('alarm-count').innerText(), { timeout: 15_000 })
      .toMatch(/^1/);
    const current = page.getByTestId('alarms-current');
    await expect
      .poll(() => current.innerText())
      .toMatch(/minor\s+House 1: prepaid balance 0 is below 500 \(minor units\)\s+.+\s+active/);
  }, 30_000);

  it('raises the offline meter after its delay and records who acknowledged', async () => {
    const current = page.getByTestId('alarms-current');
    await expect
      .poll(() => current.innerText(), { timeout: 25_000 })
      .toMatch(/major\s+Grid does not answer/);
    expect(await page.getByTestId('alarm-count').innerText()).toMatch(/^2/);
    // Most severe first.
    expect(await current.getByRole('row').nth(1).innerText()).toMatch(/^major/);

    await current.getByRole('row').nth(1).getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => current.getByRole('row').nth(1).innerText())
      .toMatch(/active · acknowledged by site-admin/);
    // Still active, so still counted.
    expect(await page.getByTestId('alarm-count').innerText()).toMatch(/^2/);
    await expect
      .poll(() => page.getByTestId('alarms-history').innerText())
      .toMatch(/Grid does not answer.+site-admin/s);

    await page.goto(`${station.info.url}#/ledger`);
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('alarm-ack');
    await expect
      .poll(() => page.getByTestId('ledger-entries').innerText())
      .toMatch(/alarm-ack\s+.*actor: site-admin/s);
  }, 45_000);
});
