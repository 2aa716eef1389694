import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { placeOrder as submitOrder } from '../support/market-page';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// An operator on the Market page: the open interval with its gate countdown and tariffs,
// orders placed for two members (one refused with the market's reason), the indicative
// clearing with its price and the plain-language reason for it, and a withdrawal. The
// station runs a site without devices, so no agent orders interfere.
const tempDir = useTempDirs('mg-e2e-market-');
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  // Hour-long intervals: a 5 s test crossing a gate closure (orders landing in the next
  // interval) becomes a 1-in-700 event instead of 1 in 180.
  const site = { ...smallSite(), devices: [], market: { intervalMinutes: 60 } };
  writeFileSync(siteFile, JSON.stringify(site));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

const placeOrder = (member: string, side: 'buy' | 'sell', wh: number, price: string) =>
  submitOrder(page, member, side, wh, price);

describe('Market page (headless host, Chromium)', () => {
  it('shows the open interval, its tariffs and that nothing trades yet', async () => {
    await page.goto(`${station.info.url}#/market`);
    await expect
      .poll(() => page.getByTestId('market-open').innerText(), { timeout: 15_000 })
      .toMatch(/^Now trading: delivery \d\d:\d\d–\d\d:\d\d$/);
    expect(await page.getByRole('timer').innerText()).toMatch(/Orders close in \d+:\d\d/);
    const ladder = await page.getByTestId('market-ladder').innerText();
    expect(ladder).toMatch(/retail\)\s+€0\.32/);
    expect(ladder).toMatch(/feed-in\)\s+€0\.082/);
    expect(ladder).toMatch(/Local price\s+no local trade/);
    expect(await page.getByTestId('market-why').innerText()).toMatch(/^No orders yet/);
  }, 30_000);

  it('places orders, refuses a bad one with its reason and explains the price', async () => {
    await placeOrder('Co-op', 'sell', 2000, '0.10');
    await expect
      .poll(() => page.getByRole('status').last().innerText())
      .toMatch(/Order placed for/);
    await placeOrder('House 1', 'buy', 1000, '0.50');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/The market refused the order\./);
    expect(await alert.innerText()).toMatch(/price_above_retail/);

    await placeOrder('House 1', 'buy', 1000, '0.30');
    await expect
      .poll(() => page.getByTestId('market-price').innerText(), { timeout: 10_000 })
      .toBe('€0.19');
    const why = await page.getByTestId('market-why').innerText();
    expect(why).toContain('(€0.30 − €0.02 + €0.10) ÷ 2 = €0.19');
    expect(await page.getByTestId('market-summary').innerText()).toMatch(
      /^1 kWh traded locally in 1 trades; 0 kWh from and 1 kWh to the utility\.$/,
    );
    const trades = await page.getByTestId('market-trades').innerText();
    expect(trades).toMatch(/Co-op\s+House 1\s+1 kWh\s+€0\.19/);
    const positions = await page.getByTestId('market-positions').innerText();
    expect(positions).toMatch(/House 1\s+1 kWh\s+-€0\.21/); // 1 kWh at 0.19 + 0.02 fee
    expect(positions).toMatch(/Co-op\s+-1 kWh\s+€0\.19/);
    expect(await page.getByTestId('market-chart').getAttribute('aria-label')).toBe(
      'Demand of 1 kWh and supply of 2 kWh; 1 kWh can trade.',
    );
  }, 30_000);

  it('saves a member agent preferences and refuses a limit above retail', async () => {
    await page.getByRole('combobox', { name: 'Member' }).last().selectOption({ label: 'House 1' });
    await page.getByRole('checkbox', { name: 'Buy only solar energy' }).check();
    const maxBuy = page.getByRole('textbox', { name: 'Pay at most, grid fee included (per kWh)' });
    await maxBuy.fill('0.40');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('alert').last().innerText()).toMatch(/above the retail/);
    await maxBuy.fill('0.25');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect
      .poll(() => page.getByRole('status').last().innerText())
      .toMatch(/Preferences of\W+House 1\W+saved/);
  }, 30_000);

  it('withdraws an operator order', async () => {
    const orders = page.getByTestId('market-orders');
    await orders.getByRole('button', { name: 'Withdraw' }).first().click();
    await expect
      .poll(() => page.getByTestId('market-orders').getByRole('row').count(), { timeout: 10_000 })
      .toBe(2);
    expect(await page.getByTestId('market-price').innerText()).toBe('no local trade');
  }, 30_000);
});
