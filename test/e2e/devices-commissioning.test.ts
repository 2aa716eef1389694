import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import type { DemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { startPausedDemo } from '../support/demo';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// A technician commissions a PV inverter in Chromium: scan its link, add a found unit,
// watch it pass its first good read, look at its registers, test-write its power limit
// with a confirmation, and remove it again. The station runs an imported site without
// devices; the simulated devices run in this process on their own loopback ports.
const tempDir = useTempDirs('mg-e2e-devices-');
let devices: DemoMicrogrid;
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  devices = await startPausedDemo(Date.UTC(2026, 5, 21, 10));
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  writeFileSync(siteFile, JSON.stringify({ ...smallSite(), devices: [] }));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 768 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await devices?.stop();
});

/** The demo's PV inverters share one gateway port, units 1–6. */
const pvLink = (): string =>
  devices.site.devices.find((d) => d.id === 'pv-01')!.url.replace(/\?.*$/, '');

describe('commissioning on the Devices page (headless host, Chromium)', () => {
  it('scans a link, adds a found PV inverter and sees it become Working', async () => {
    await page.goto(`${station.info.url}#/devices`);
    await expect
      .poll(() => page.getByRole('status', { name: 'Connection to the station' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/Connected/);
    await page.getByRole('button', { name: 'Add device' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).innerText())
      .toBe('Add a device');

    await page.getByRole('textbox', { name: 'Link address' }).fill(pvLink());
    await page.getByRole('textbox', { name: 'Unit IDs' }).fill('1-7');
    await page.getByRole('button', { name: 'Start scan' }).click();
    await expect
      .poll(() => page.getByTestId('scan-status').innerText(), { timeout: 15_000 })
      .toMatch(/Scan finished: 7 of 7 unit IDs checked, 6 found/);
    const found = page.getByRole('table', { name: 'Units that answered' });
    expect(await found.getByRole('row').count()).toBe(7);
    await expect.poll(() => page.getByTestId('found-unit-4').innerText()).toMatch(/SIM-pv-04/);
    await page.getByRole('button', { name: 'Use this unit (unit 4)' }).click();

    const discovered = page.getByTestId('discovered');
    expect(await discovered.innerText()).toMatch(/SIM-pv-04/);
    expect(await discovered.innerText()).toMatch(/Immediate Controls/);
    expect(await page.getByRole('textbox', { name: 'Device ID' }).inputValue()).toBe(
      'pv-inverter-4',
    );
    expect(await page.getByRole('combobox', { name: 'Role' }).inputValue()).toBe('pv-inverter');
    await page.getByRole('textbox', { name: 'Name' }).fill('Roof PV 4');
    await page.getByRole('combobox', { name: 'Member' }).selectOption({ label: 'House 1' });
    await page.getByRole('spinbutton', { name: 'Read every (ms)' }).fill('500');
    await page.getByRole('button', { name: 'Add device', exact: true }).click();

    await expect
      .poll(() => page.getByTestId('devices-notice').innerText(), { timeout: 10_000 })
      .toMatch(/Roof PV 4\W* was added/);
    await expect
      .poll(() => page.getByTestId('device-state-pv-inverter-4').innerText(), { timeout: 10_000 })
      .toBe('Working');
  }, 45_000);

  it('shows the details, reads registers and SunSpec points, and test-writes WMaxLimPct', async () => {
    await page.getByRole('button', { name: 'Details: Roof PV 4' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('Roof PV 4');
    await expect.poll(() => page.getByTestId('details-state').innerText()).toBe('Working');
    await expect.poll(() => page.getByTestId('live-points').innerText()).toMatch(/Power\s+\d/);

    await page.getByRole('spinbutton', { name: 'Start address' }).fill('40000');
    await page.getByRole('spinbutton', { name: 'Number of registers' }).fill('4');
    await page.getByRole('button', { name: 'Read registers' }).click();
    const registers = page.getByRole('table', { name: 'Function 3 from address 40000' });
    await expect.poll(() => registers.getByRole('row').count()).toBe(5);
    const marker = await registers.getByRole('row').nth(1).innerText();
    expect(marker).toMatch(/40000\s+21365\s+21365\s+0x5375\s+Su/);
    expect(await registers.getByRole('row').nth(2).innerText()).toMatch(/0x6E53\s+nS/);

    await page.getByRole('button', { name: 'Read SunSpec points' }).click();
    await expect.poll(() => page.getByTestId('sunspec-models').innerText()).toMatch(/Model 123/);

    await page.getByRole('spinbutton', { name: 'Model' }).fill('123');
    await page.getByRole('combobox', { name: 'Point' }).fill('WMaxLimPct');
    await page.getByRole('textbox', { name: 'New value' }).fill('50');
    await page.getByRole('button', { name: 'Test write…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Write to the device?' });
    await expect.poll(() => dialog.getByTestId('write-change').innerText()).toBe('100 → 50 % WMax');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await expect
      .poll(() => page.getByTestId('write-result').innerText(), { timeout: 10_000 })
      .toMatch(/Written\. The device now reports WMaxLimPct = 50 % WMax/);
    expect(await dialog.isVisible()).toBe(false);
  }, 30_000);

  it('renames, disables and enables the device', async () => {
    await page.getByRole('button', { name: 'Back to the device list' }).click();
    await page.getByRole('button', { name: 'Edit: Roof PV 4' }).click();
    expect(await page.getByRole('textbox', { name: 'Device ID' }).getAttribute('readonly')).toBe(
      '',
    );
    await page.getByRole('textbox', { name: 'Name' }).fill('Roof PV east');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.getByTestId('devices-notice').innerText())
      .toMatch(/The changes to\W+Roof PV east\W+were saved/);

    await page.getByRole('button', { name: 'Disable: Roof PV east' }).click();
    await expect
      .poll(() => page.getByTestId('device-state-pv-inverter-4').innerText())
      .toBe('Switched off in settings');
    await page.getByRole('button', { name: 'Enable: Roof PV east' }).click();
    await expect
      .poll(() => page.getByTestId('device-state-pv-inverter-4').innerText(), { timeout: 10_000 })
      .toBe('Working');
  });

  it('removes the device after a confirmation, from the keyboard', async () => {
    const remove = page.getByRole('button', { name: 'Remove: Roof PV east' });
    const dialog = page.getByRole('dialog', { name: /^Remove\W+Roof PV east\W*\?$/ });
    await remove.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.getByTestId('device-row-pv-inverter-4').count()).toBe(1);
    await remove.focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Remove device' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('devices-notice').innerText())
      .toMatch(/Roof PV east\W* was removed/);
    // The next snapshot (within a second) no longer reports it either.
    await expect.poll(() => page.getByTestId('device-row-pv-inverter-4').count()).toBe(0);
    expect(await page.getByText('No devices are set up for this site.').count()).toBe(1);
  });
});
