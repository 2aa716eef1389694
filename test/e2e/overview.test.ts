import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// A real browser against the headless host running the demo microgrid: what an operator
// sees, found by accessible roles and names.
const tempDir = useTempDirs('mg-e2e-');
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  station = await startServe(['--data-dir', tempDir(), '--speed', '30']);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 768 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

const tileText = (id: string): Promise<string> => page.getByTestId(id).innerText();

describe('operator UI (headless host, Chromium)', () => {
  it('shows live power flows that change', async () => {
    await page.goto(station.info.url);
    await expect
      .poll(() => page.getByRole('status', { name: 'Connection to the station' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/Connected/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Overview');
    await expect.poll(() => tileText('flow-load'), { timeout: 15_000 }).toMatch(/\d.*W/);
    const before = await tileText('flow-load');
    expect(await tileText('flow-soc')).toMatch(/\d+(\.\d)?\s*%/);
    expect(await tileText('flow-grid')).not.toMatch(/Unavailable/);
    await expect.poll(() => tileText('flow-load'), { timeout: 15_000 }).not.toBe(before);
    expect(await page.getByTestId('flow-diagram').count()).toBe(1);
    expect(await page.getByTestId('power-chart').count()).toBe(1);
  }, 45_000);

  it('lists the demo devices with their state', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Devices');
    const table = page.getByRole('table', { name: 'Devices of this site' });
    // A header row and the demo's 25 devices (4 of them switchable loads).
    await expect.poll(() => table.getByRole('row').count(), { timeout: 10_000 }).toBe(26);
    await expect
      .poll(() => page.getByTestId('device-state-grid-meter').innerText())
      .toBe('Working');
    await expect
      .poll(() => page.getByTestId('device-state-community-hall-meter').innerText())
      .toBe('Working');
  });

  it("shows the battery inverter's grid connection (SunSpec 122 ECPConn) as yes or no", async () => {
    await page.getByRole('button', { name: 'Details: Community battery (100 kWh)' }).click();
    await expect
      .poll(() => page.getByTestId('live-points').innerText(), { timeout: 10_000 })
      .toMatch(/Connected to the grid\s+Yes/);
  });

  it('switches to Arabic with right-to-left layout and back', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'العربية' }).check();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('radio', { name: 'English' }).check();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('ltr');
  });

  it('can be driven from the keyboard', async () => {
    await page.goto(`${station.info.url}#/overview`);
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').innerText()).trim()).toBe('Skip to main content');
  });
});
