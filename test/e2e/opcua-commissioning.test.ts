import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { describeCertificate } from '../../drivers/opcua/certificate-info';
import type { OpcuaSimulator } from '../../drivers/sim/opcua/opcua-simulator';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { startTestSimulator, stationDataDir } from '../support/opcua';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// A technician adds the OPC UA battery container in Chromium: check the server, compare and
// trust its certificate, choose SignAndEncrypt with a user, browse, read, map two variables
// to points, test-write the power setpoint with a confirmation, and add the device, which
// then reports its values. The simulator runs in this process on a loopback port; the
// station is a `microgrid serve` child process with a data directory that trusts nothing.
const tempDir = useTempDirs('mg-e2e-opcua-');
let sim: OpcuaSimulator;
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sim = await startTestSimulator();
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  writeFileSync(siteFile, JSON.stringify({ ...smallSite(), devices: [] }));
  station = await startServe(['--data-dir', await stationDataDir(), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await sim?.stop();
});

const groupedThumbprint = (): string => {
  const info = describeCertificate(sim.serverCertificate);
  if (!info.ok) throw new Error(info.error.message);
  return info.value.thumbprint.toUpperCase().match(/.{2}/g)!.join(':');
};

describe('OPC UA commissioning on the Devices page (headless host, Chromium)', () => {
  it('shows the server certificate, refused until trusted, and trusts it', async () => {
    await page.goto(`${station.info.url}#/devices`);
    await expect
      .poll(() => page.getByRole('status', { name: 'Connection to the station' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/Connected/);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('button', { name: 'Add an OPC UA server' }).click();
    await page.getByRole('textbox', { name: 'Server address' }).fill(sim.endpointUrl);
    await page.getByRole('button', { name: 'Check server' }).click();

    await expect
      .poll(() => page.getByTestId('opcua-cert-status').innerText(), { timeout: 15_000 })
      .toMatch(/Not trusted yet/);
    expect((await page.getByTestId('opcua-thumbprint').innerText()).trim()).toBe(
      groupedThumbprint(),
    );
    const security = page.getByRole('combobox', { name: 'Security' });
    expect(await security.inputValue()).toBe('sign-encrypt/Basic256Sha256');
    const options = await security.locator('option').allInnerTexts();
    expect(options).toContain('Sign and encrypt · Aes256_Sha256_RsaPss');
    expect(options.some((o) => /NOT SECURE/.test(o))).toBe(false); // not offered by this server

    await page.getByRole('button', { name: 'Trust…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trust this server certificate?' });
    expect(await dialog.innerText()).toContain(groupedThumbprint());
    await dialog.getByRole('button', { name: 'Trust' }).click();
    await expect.poll(() => page.getByTestId('opcua-cert-status').innerText()).toBe('Trusted');
  }, 45_000);

  it('connects with a user, browses, reads and maps nodes, and test-writes a setpoint', async () => {
    await page.getByRole('textbox', { name: 'User name' }).fill('operator');
    await page.getByRole('button', { name: 'Connect and browse' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(/Enter the password/);
    await page.getByLabel('Password').fill('battery-sim');
    await page.getByRole('button', { name: 'Connect and browse' }).click();

    const tree = page.getByRole('tree', { name: 'Address space' });
    await tree.getByRole('button', { name: 'Open BatteryContainer' }).click({ timeout: 15_000 });
    const soc = tree.locator(
      `[data-node-id="${sim.nodeId('s=BatteryContainer.StateOfChargePct')}"]`,
    );
    expect(await soc.innerText()).toMatch(/Variable\s*· Double\s*· read only/);
    await soc.getByRole('button', { name: 'Read' }).click();
    await expect
      .poll(() => tree.getByTestId('opcua-value').first().innerText())
      .toMatch(/^\d+(\.\d+)? \(Good\)$/);

    await soc.getByRole('button', { name: 'Map…' }).click();
    const mapDialog = page.getByRole('dialog', { name: 'Map StateOfChargePct to a point' });
    expect(await mapDialog.getByRole('combobox', { name: 'Point' }).inputValue()).toBe('socPct');
    await mapDialog.getByRole('button', { name: 'Map' }).click();
    const power = tree.locator(`[data-node-id="${sim.nodeId('s=BatteryContainer.ActivePowerW')}"]`);
    await power.getByRole('button', { name: 'Map…' }).click();
    const powerDialog = page.getByRole('dialog', { name: 'Map ActivePowerW to a point' });
    expect(await powerDialog.getByRole('combobox', { name: 'Point' }).inputValue()).toBe('powerW');
    await powerDialog.getByRole('button', { name: 'Map' }).click();
    const mapped = await page.getByTestId('opcua-mappings').innerText();
    expect(mapped).toMatch(/socPct \(%\)\s+ns=\d+;s=BatteryContainer\.StateOfChargePct/);
    expect(mapped).toMatch(/powerW \(W\)\s+ns=\d+;s=BatteryContainer\.ActivePowerW/);

    const setpoint = tree.locator(
      `[data-node-id="${sim.nodeId('s=BatteryContainer.PowerSetpointW')}"]`,
    );
    await setpoint.getByRole('button', { name: 'Write…' }).click();
    await page.getByRole('textbox', { name: 'New value' }).fill('-5000');
    await page.getByRole('button', { name: 'Test write…' }).click();
    const writeDialog = page.getByRole('dialog', { name: 'Write to the server?' });
    await expect
      .poll(() => writeDialog.getByTestId('opcua-write-change').innerText())
      .toBe('0 → -5000');
    expect(sim.battery.state().powerSetpointW).toBe(0); // nothing written before confirming
    await writeDialog.getByRole('button', { name: 'Write' }).click();
    await expect
      .poll(() => page.getByTestId('opcua-write-result').innerText(), { timeout: 10_000 })
      .toMatch(/Written\. The server now reports -5000\./);
    expect(sim.battery.state().powerSetpointW).toBe(-5000);
  }, 45_000);

  it('adds the device, which reports its mapped values', async () => {
    await page.getByRole('textbox', { name: 'Device ID' }).fill('container');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Battery container');
    await page.getByRole('spinbutton', { name: 'Read every (ms)' }).fill('500');
    await page.getByRole('button', { name: 'Add OPC UA device' }).click();
    await expect
      .poll(() => page.getByTestId('devices-notice').innerText(), { timeout: 15_000 })
      .toMatch(/Battery container\W* was added/);
    await expect
      .poll(() => page.getByTestId('device-state-container').innerText(), { timeout: 15_000 })
      .toBe('Working');

    await page.getByRole('button', { name: 'Details: Battery container' }).click();
    const mappings = await page.getByTestId('opcua-device-mappings').innerText();
    expect(mappings).toMatch(/socPct/);
    expect(await page.getByText(/Sign and encrypt · Basic256Sha256, user operator/).count()).toBe(
      1,
    );
    // The device's own stored settings browse the server; the password never reached the page.
    await page
      .getByRole('tree', { name: 'Address space' })
      .getByRole('button', { name: 'Open BatteryContainer' })
      .click({ timeout: 15_000 });
    expect(await page.content()).not.toContain('battery-sim');
  }, 45_000);
});
