// `npm run screenshots`: the README's pictures, taken from a running demo station in
// Debian's Chromium at 1366×768 (the site PC the UI is designed for).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/support/browser';
import { startServe } from '../test/support/station-process';

const outDir = join(import.meta.dirname, '..', 'resources', 'screenshots');
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'mg-shots-'));
const station = await startServe(['--data-dir', dataDir, '--speed', '120']);
const browser = await launchChromium();
try {
  for (const [lang, theme] of [
    ['en', 'light'],
    ['ar', 'dark'],
  ] as const) {
    // Logged in as the test admin (first-run setup on this fresh data directory).
    const page = await station.newPage(browser, {
      viewport: { width: 1366, height: 768 },
      colorScheme: theme,
    });
    const context = page.context();
    await page.goto(station.info.url);
    if (lang === 'ar') {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('radio', { name: 'العربية' }).check();
      await page.goto(`${station.info.url}#/overview`);
    }
    // Let the chart collect a minute of demo time and the tiles settle.
    await page.waitForTimeout(8000);
    await page.screenshot({ path: join(outDir, `overview-${lang}-${theme}.png`) });
    await page.goto(`${station.info.url}#/devices`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, `devices-${lang}-${theme}.png`) });
    await context.close();
  }
} finally {
  await browser.close();
  await station.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`screenshots written to ${outDir}`);
