import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { smallSite } from '../core/site/site-fixture';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// An operator on the Ledger page: records a prepaid top-up, sees the balance and the new
// entry, verifies the ledger, and exports a member statement with its proof file.
const tempDir = useTempDirs('mg-e2e-ledger-');
let station: ServedStation;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = tempDir();
  const siteFile = join(dir, 'site.json');
  writeFileSync(siteFile, JSON.stringify({ ...smallSite(), devices: [] }));
  station = await startServe(['--data-dir', join(dir, 'data'), '--site', siteFile]);
  browser = await launchChromium();
  page = await station.newPage(browser, {
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

/** Entries in the ledger before the test acts. */
let before = 0;

describe('Ledger page (headless host, Chromium)', () => {
  it('records a top-up and shows the balance and the entry', async () => {
    await page.goto(`${station.info.url}#/ledger`);
    await expect
      .poll(() => page.getByTestId('ledger-summary').innerText(), { timeout: 15_000 })
      .toMatch(/^0 blocks after genesis, \d+ entries acknowledged/);
    // The test's admin account and its login are already in the ledger (audit entries).
    const summary = await page.getByTestId('ledger-summary').innerText();
    before = Number(/(\d+) entries acknowledged/.exec(summary)?.[1]);
    expect(before).toBeGreaterThanOrEqual(2);
    const accounts = page.getByTestId('ledger-accounts');
    expect(await accounts.innerText()).toMatch(/House 1\s+prepaid\s+€0\.00\s+⚠ low/);
    expect(await accounts.innerText()).toMatch(/Co-op\s+postpaid\s+€0\.00\s+never \(postpaid\)/);

    await page.getByRole('combobox', { name: 'Member' }).nth(1).selectOption({ label: 'House 1' });
    await page.getByRole('textbox', { name: 'Amount (EUR)' }).fill('12,5x');
    await page.getByRole('button', { name: 'Record top-up' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Enter an amount/);
    await page.getByRole('textbox', { name: 'Amount (EUR)' }).fill('25.50');
    await page.getByRole('textbox', { name: 'Reference (receipt)' }).fill('receipt 17');
    await page.getByRole('button', { name: 'Record top-up' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Top-up' }).innerText())
      .toMatch(/Top-up recorded: \W*House 1\W* now has €25\.50\./);
    expect(await accounts.innerText()).toMatch(/House 1\s+prepaid\s+€25\.50\s+keep/);
    await expect
      .poll(() => page.getByTestId('ledger-entries').innerText())
      .toMatch(/\d+\s+.+\s+top-up\s+House 1\s+2550\s+cash receipt 17\s+(pending|\d+)/);
    expect(await page.getByTestId('ledger-summary').innerText()).toMatch(
      new RegExp(`${before + 1} entries acknowledged, ${before + 1} waiting`),
    );
  }, 30_000);

  it('verifies the ledger and exports a statement with its proof', async () => {
    await page.getByRole('button', { name: 'Verify now' }).click();
    await expect
      .poll(() => page.getByTestId('ledger-verify').innerText(), { timeout: 15_000 })
      .toMatch(
        new RegExp(
          `^Verified: \\d+ blocks, ${before + 1} entries and 1 member balances are intact`,
        ),
      );

    await page.getByRole('combobox', { name: 'Member' }).first().selectOption({ label: 'House 1' });
    await page.getByRole('button', { name: 'Export statement' }).click();
    const links = page.getByTestId('ledger-downloads').getByRole('link');
    await expect.poll(() => links.count()).toBe(3);
    const proofLink = links.filter({ hasText: 'proof.json' });
    const [download] = await Promise.all([page.waitForEvent('download'), proofLink.click()]);
    expect(download.suggestedFilename()).toMatch(
      /^statement-h1-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.proof\.json$/,
    );
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const proof = JSON.parse(readFileSync(path, 'utf8')) as {
      unproven: unknown[];
      entries: unknown[];
    };
    // The top-up is pending, or proven if a market interval sealed it meanwhile (gate
    // closures seal every 15 minutes): either way the statement accounts for it.
    expect(proof.unproven.length + proof.entries.length).toBe(1);
  }, 30_000);
});
