import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { loadDemoResources } from '../../drivers/sim/demo/demo-resources';
import {
  startDemoMicrogrid,
  type DemoMicrogrid,
} from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { launchChromium } from '../support/browser';
import { placeOrder } from '../support/market-page';
import { PROJECT_ROOT, startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// The Market page through a grid outage: the demo microgrid's simulators run in this
// process, a station serves a site pointing at them, and the simulated grid is cut. Control
// sees 0 V at the grid meter and goes islanded; the market switches to its island rule
// (fair share at 0.20 here): a banner says so, and operator orders for a short supply are
// rationed equally, shown per member.
const tempDir = useTempDirs('mg-e2e-market-island-');
let demo: DemoMicrogrid;
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const resources = loadDemoResources(join(PROJECT_ROOT, 'resources', 'demo'));
  demo = await startDemoMicrogrid({
    site: resources.site,
    physics: resources.physics,
    profiles: resources.profiles,
    basePort: 0,
  });
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  // Hour-long intervals, so the orders below stay in one interval (see market-page.test.ts).
  const site = {
    ...demo.site,
    market: { intervalMinutes: 60, island: { rule: 'fair-share', priceMicroPerKWh: 200_000 } },
  };
  writeFileSync(siteFile, JSON.stringify(site));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
  await demo?.stop();
});

describe('Market page in an island (headless host, Chromium)', () => {
  it('shows no island banner while the grid is there', async () => {
    await page.goto(`${station.info.url}#/market`);
    await expect
      .poll(() => page.getByTestId('market-open').innerText(), { timeout: 15_000 })
      .toMatch(/^Now trading/);
    expect(await page.getByTestId('market-island').count()).toBe(0);
  }, 30_000);

  it('switches to island rules when the grid is lost and says so', async () => {
    demo.setOutage(true);
    await expect.poll(() => page.getByTestId('market-island').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('market-island').innerText()).toBe(
      'Island: the public grid is down. Energy is shared fairly at €0.20/kWh; buyers add the grid fee of €0.021.',
    );
    expect(await page.getByText('Island, fair share · Indicative').count()).toBe(1);
  }, 30_000);

  it('rations a short supply equally among the buyers', async () => {
    // 1 kWh on offer, 1.5 kWh wanted: the flat 2 household asked 0.5 kWh and gets it all,
    // flat 1 the other 0.5 kWh of the 1 kWh it asked, whatever their limit prices.
    await placeOrder(
      page,
      'Riverside Housing Co-op (community hall, street lights, battery)',
      'sell',
      1000,
      '0.10',
    );
    await placeOrder(page, 'Becker household (flat 1)', 'buy', 1000, '0.15');
    await placeOrder(page, 'Yilmaz household (flat 2)', 'buy', 500, '0.30');
    await expect
      .poll(() => page.getByTestId('market-rations').innerText(), { timeout: 15_000 })
      .toMatch(/Becker household \(flat 1\)\s+buy\s+1 kWh\s+0\.5 kWh\s+50 %/);
    const rations = await page.getByTestId('market-rations').innerText();
    expect(rations).toMatch(/Yilmaz household \(flat 2\)\s+buy\s+0\.5 kWh\s+0\.5 kWh\s+100 %/);
    expect(rations).toMatch(/Riverside Housing Co-op[^\n]*\s+sell\s+1 kWh\s+1 kWh\s+100 %/);
    expect(await page.getByTestId('market-why').innerText()).toMatch(
      /^Island rules: 1 kWh on offer for 1\.5 kWh wanted/,
    );
    expect(await page.getByTestId('market-price').innerText()).toBe('€0.20');
    expect(await page.getByTestId('market-summary').innerText()).toMatch(
      /^1 kWh traded locally in 2 trades; 0 kWh from and 0 kWh to the utility\.$/,
    );
  }, 40_000);
});
