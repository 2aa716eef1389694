import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';

// An operator on the Control page of the demo station: automatic mode, the battery's
// setpoint against its limits, the cycle time; switching to monitor only asks first and
// is recorded in the history.
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  station = await startServe([
    '--data-dir',
    mkdtempSync(join(tmpdir(), 'mg-e2e-control-')),
    '--demo',
  ]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe('Control page (headless host, Chromium)', () => {
  it('shows automatic mode, the cycle and the battery setpoint against its limits', async () => {
    await page.goto(`${station.info.url}#/control`);
    await expect
      .poll(() => page.getByTestId('control-mode').innerText(), { timeout: 15_000 })
      .toBe('Automatic');
    expect(await page.getByTestId('control-island').innerText()).toBe(
      'connected to the public grid',
    );
    await expect
      .poll(() => page.getByTestId('control-cycle').innerText())
      .toMatch(/ms now, .+ ms at most; \d+ cycles, 0 too slow/);
    await expect
      .poll(() => page.getByTestId('control-decisions').innerText(), { timeout: 15_000 })
      .toMatch(/Community battery.*kW\s.*−\d+(\.\d)? … \+\d+(\.\d)? kW/s);
  }, 30_000);

  it('switches to monitor only after a confirmation and records it', async () => {
    await page.getByRole('button', { name: 'Switch to monitor only' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to monitor only' });
    expect(await dialog.innerText()).toMatch(/stops writing/);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.getByTestId('control-mode').innerText()).toBe('Monitor only');
    await expect
      .poll(() => page.getByTestId('control-history').innerText())
      .toMatch(/site-admin\s+set-mode\s+control\s+auto → monitor/);
  }, 30_000);

  it('checks a manual battery setpoint against the limits before applying it', async () => {
    await page
      .getByRole('combobox', { name: 'Device' })
      .selectOption({ label: 'Community battery (100 kWh)' });
    await page.getByRole('textbox', { name: /Battery power, kW/ }).fill('999');
    await page.getByRole('button', { name: 'Check setpoint…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply this setpoint?' });
    await expect
      .poll(() => dialog.getByTestId('control-preview').innerText())
      .toMatch(
        /Community battery \(100 kWh\): you asked for 999 kW; the safety limits allow \d+(\.\d+)? kW now\./,
      );
    const allowed = Number(
      /allow (\d+(?:\.\d+)?) kW/.exec(await dialog.getByTestId('control-preview').innerText())![1],
    );
    expect(allowed).toBeLessThan(999);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('control-operator').innerText())
      .toMatch(/Community battery \(100 kWh\): 999 kW/);
    await expect
      .poll(() => page.getByTestId('control-history').innerText())
      .toMatch(/site-admin\s+setpoint\s+\S+\s+battery 999000 W for 900 s/);
    await page.getByTestId('control-operator').getByRole('button', { name: 'End' }).click();
    await expect.poll(() => page.getByTestId('control-operator').count()).toBe(0);
  }, 30_000);

  it('changes the import limit in the parameters form after a review, refusing a looser one', async () => {
    const limit = page.getByRole('textbox', { name: 'Import limit (kW)' });
    await expect.poll(() => limit.inputValue(), { timeout: 15_000 }).toBe('60');
    // Looser than the demo's 60 kW grid connection: refused at the field, no dialog.
    await limit.fill('70');
    await page.getByRole('button', { name: 'Review changes…' }).click();
    await expect
      .poll(() => page.getByTestId('param-error').innerText())
      .toMatch(/at most the connection's import limit \(60 kW\)/);
    expect(await limit.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog', { name: 'Apply these changes?' }).count()).toBe(0);

    await limit.fill('50');
    await page.getByRole('button', { name: 'Review changes…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply these changes?' });
    const changes = dialog.getByTestId('control-params-changes');
    await expect.poll(() => changes.innerText()).toMatch(/^Import limit \(kW\): 60 → 50\n/);
    expect(await changes.innerText()).toMatch(/grid import at or below 50 kW minus the margin/);
    expect(await changes.getByRole('listitem').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('control-history').innerText())
      .toMatch(/site-admin\s+set-config\s+control\s+peakShaving\.importLimitW: 60000 → 50000/);
    await expect.poll(() => dialog.count()).toBe(0);

    // Applied and stored: after a reload the form shows the new limit.
    await page.reload();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Import limit (kW)' }).inputValue(), {
        timeout: 15_000,
      })
      .toBe('50');
  }, 45_000);
});
