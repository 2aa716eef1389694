import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { loadProfile } from '../../drivers/profiles/profile-loader';
import { ModbusTcpServer } from '../../drivers/sim/modbus-tcp-server';
import { ProfileDevice } from '../../drivers/sim/profile-device';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { PROJECT_ROOT, startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// A technician commissions a meter without SunSpec in Chromium: the scan finds the unit and
// says it needs a register map, the form offers only the maps that serve the chosen role,
// the device becomes Working with live values, its details name its map, and an edit
// switches the map. The meter is an Eastron SDM630 simulated from its own profile, on a
// loopback Modbus TCP port of this process; the station runs an imported site.
const tempDir = useTempDirs('mg-e2e-profile-');
const server = new ModbusTcpServer({ unknownUnit: 'ignore' });
let link = '';
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const profile = loadProfile(join(PROJECT_ROOT, 'resources', 'profiles'), 'eastron-sdm630');
  if (!profile.ok) throw new Error(profile.error.message);
  const meter = new ProfileDevice(profile.value);
  const set = meter.setAll({
    powerW: 1234.5,
    powerL1W: 411.5,
    voltageV: 230.4,
    voltageL1V: 230.4,
    frequencyHz: 49.98,
  });
  if (!set.ok) throw new Error(set.error.message);
  server.setUnit(1, meter);
  link = `modbus-tcp://127.0.0.1:${await server.listen()}`;
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
  await server.close();
});

const registerMap = () => page.getByRole('combobox', { name: 'Register map' });
const optionsOf = (select: ReturnType<Page['getByRole']>) =>
  select.locator('option').allInnerTexts();

describe('a device without SunSpec, by its register map (headless host, Chromium)', () => {
  it('scans the unit, picks its register map for the role and sees it become Working', async () => {
    await page.goto(`${station.info.url}#/devices`);
    await expect
      .poll(() => page.getByRole('status', { name: 'Connection to the station' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/Connected/);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('textbox', { name: 'Link address' }).fill(link);
    await page.getByRole('textbox', { name: 'Unit IDs' }).fill('1-2');
    await page.getByRole('button', { name: 'Start scan' }).click();
    await expect
      .poll(() => page.getByTestId('scan-status').innerText(), { timeout: 15_000 })
      .toMatch(/Scan finished: 2 of 2 unit IDs checked, 1 found/);
    expect(await page.getByTestId('found-unit-1').innerText()).toMatch(
      /No SunSpec: choose its register map/,
    );
    await page.getByRole('button', { name: 'Use this unit (unit 1)' }).click();
    expect(await page.getByTestId('discovered').innerText()).toMatch(/needs its register map/);

    // Without a grid meter in the site, the first meter is suggested as the grid meter.
    const role = page.getByRole('combobox', { name: 'Role' });
    expect(await role.inputValue()).toBe('grid-meter');
    expect(await registerMap().inputValue()).toBe('');
    await page.getByRole('textbox', { name: 'Device ID' }).fill('hall-meter');
    await page.getByRole('textbox', { name: 'Name' }).fill('Hall meter');
    await page.getByRole('button', { name: 'Add device', exact: true }).click();
    await expect.poll(() => page.getByText('This unit did not answer as SunSpec').count()).toBe(1);

    expect(await optionsOf(registerMap())).toEqual([
      'SunSpec (discovered automatically)',
      'Eastron SDM120-Modbus',
      'Eastron SDM630-Modbus V2',
    ]);
    await registerMap().selectOption({ label: 'Eastron SDM630-Modbus V2' });
    // A battery cannot run on a meter's map: the choice falls back and only GX maps remain.
    await role.selectOption({ label: 'Battery' });
    expect(await registerMap().inputValue()).toBe('');
    expect(await optionsOf(registerMap())).toEqual([
      'SunSpec (discovered automatically)',
      expect.stringMatching(/^Victron Energy GX/),
    ]);
    await role.selectOption({ label: 'Household meter' });
    await registerMap().selectOption({ label: 'Eastron SDM630-Modbus V2' });
    expect(await page.getByText(/Without unit= in the address it uses unit 1\./).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Member' }).selectOption({ label: 'Co-op' });
    await page.getByRole('spinbutton', { name: 'Read every (ms)' }).fill('500');
    await page.getByRole('button', { name: 'Add device', exact: true }).click();

    await expect
      .poll(() => page.getByTestId('devices-notice').innerText(), { timeout: 10_000 })
      .toMatch(/Hall meter\W* was added/);
    await expect
      .poll(() => page.getByTestId('device-state-hall-meter').innerText(), {
        timeout: 10_000,
      })
      .toBe('Working');
  }, 45_000);

  it('shows the register map and live values in the details, and raw input registers', async () => {
    await page.getByRole('button', { name: 'Details: Hall meter' }).click();
    await expect.poll(() => page.getByTestId('details-state').innerText()).toBe('Working');
    expect(await page.getByTestId('details-profile').innerText()).toMatch(
      /Eastron SDM630-Modbus V2\s*\(eastron-sdm630\)/,
    );
    const live = page.getByTestId('live-points');
    await expect.poll(() => live.innerText()).toMatch(/Power\s+1,234\.5\s*W/);
    expect(await live.innerText()).toMatch(/Frequency\s+49\.98\s*Hz/);
    // SunSpec tools are for SunSpec devices; this one says what reads it instead.
    expect(await page.getByRole('button', { name: 'Read SunSpec points' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Device profile' }).count()).toBe(1);
    expect(
      await page
        .getByText(/reads this device with its register map\W+Eastron SDM630-Modbus V2/)
        .count(),
    ).toBe(1);

    // Total system power is float32 input registers 52–53: 1234.5 = 0x449A 0x5000.
    await page.getByRole('spinbutton', { name: 'Start address' }).fill('52');
    await page.getByRole('spinbutton', { name: 'Number of registers' }).fill('2');
    await page.getByRole('combobox', { name: 'Function' }).selectOption('4');
    await page.getByRole('button', { name: 'Read registers' }).click();
    const registers = page.getByRole('table', { name: 'Function 4 from address 52' });
    await expect.poll(() => registers.getByRole('row').count()).toBe(3);
    expect(await registers.getByRole('row').nth(1).innerText()).toMatch(/0x449A/);
    expect(await registers.getByRole('row').nth(2).innerText()).toMatch(/0x5000/);
  }, 30_000);

  it('changes the register map in the edit form, and the station checks the device again', async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    expect(await registerMap().inputValue()).toBe('eastron-sdm630');
    await registerMap().selectOption({ label: 'Eastron SDM120-Modbus' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.getByTestId('devices-notice').innerText())
      .toMatch(/Its address or register map changed/);
    await expect
      .poll(() => page.getByTestId('device-state-hall-meter').innerText(), {
        timeout: 10_000,
      })
      .toBe('Working');
    await page.getByRole('button', { name: 'Details: Hall meter' }).click();
    await expect
      .poll(() => page.getByTestId('details-profile').innerText())
      .toMatch(/Eastron SDM120-Modbus\s*\(eastron-sdm120\)/);
    // Read with the single-phase map, the SDM630 reports its phase 1: the SDM120's power
    // register is the SDM630's phase-1 power.
    await expect
      .poll(() => page.getByTestId('live-points').innerText())
      .toMatch(/Power\s+411\.5\s*W/);
  }, 30_000);
});
