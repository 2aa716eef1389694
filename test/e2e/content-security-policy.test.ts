// The strict CSP does not break the UI: every page of the demo, in Chromium, loaded from
// `microgrid serve` with the policy as both header and <meta>, reports no violation.
// (The Electron window loads the same build with the same policy over app:.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { ROUTES } from '../../renderer/lib/routes';
import { launchChromium } from '../support/browser';
import { startServe, type ServedStation } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-e2e-csp-');
let station: ServedStation;
let browser: Browser;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  station = await startServe(['--data-dir', tempDir(), '--speed', '30']);
  browser = await launchChromium();
  page = await station.newPage(browser, { viewport: { width: 1366, height: 768 } });
  // Chromium logs every refusal ("Refused to …", also for a directive a <meta> cannot carry).
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  // Page-side code as strings: this tsconfig has Node's types, not the DOM's.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.reportCspViolation(
      event.violatedDirective + ' blocked ' + event.blockedURI +
        ' (' + event.sourceFile + ':' + event.lineNumber + ')'));`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

async function visit(route: string): Promise<void> {
  await page.goto(`${station.info.url}#/${route}`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
  // Charts and live values render after the first snapshots.
  await page.waitForTimeout(1500);
}

describe('Content Security Policy in the browser', () => {
  it('lets every page load and run without a violation', async () => {
    await page.goto(station.info.url);
    await expect
      .poll(() => page.getByRole('status', { name: 'Connection to the station' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/Connected/);
    for (const route of ROUTES) await visit(route);
    expect(violations).toEqual([]);
  }, 90_000);

  it('refuses and reports an injected inline script (so the check above can see one)', async () => {
    await page.evaluate(`{
      const script = document.createElement('script');
      script.textContent = 'document.title = "injected"';
      document.head.append(script);
    }`);
    await expect.poll(() => violations.some((v) => v.includes('script-src'))).toBe(true);
    expect(await page.title()).not.toBe('injected');
  });
});
