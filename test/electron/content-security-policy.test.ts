// The renderer's Content Security Policy where it is delivered: the <meta> of the page as
// written and as built (`npm test` builds out/renderer before the tests run), and the
// header of the headless host. The app: protocol's header is checked in
// electron-shell.test.ts, where electron is mocked.
import { closedAuth } from '../support/host-auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APP_PROTOCOL_CSP,
  HTTP_HOST_CSP,
  RENDERER_META_CSP,
} from '../../electron/content-security-policy';
import { startHttpHost, type HttpHost } from '../../electron/host/http-host';
import { PROJECT_ROOT } from '../../electron/station/project-root';

const BUILT = join(PROJECT_ROOT, 'out', 'renderer');

function metaCsp(html: string): string[] {
  return [
    ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi),
  ].map((m) => m[1]!);
}

function directive(policy: string, name: string): string | undefined {
  return policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));
}

let host: HttpHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('Content Security Policy', () => {
  it('allows scripts from the app itself only, everywhere it is delivered', () => {
    for (const policy of [RENDERER_META_CSP, HTTP_HOST_CSP, APP_PROTOCOL_CSP]) {
      expect(directive(policy, 'script-src')).toBe("script-src 'self'");
      expect(directive(policy, 'default-src')).toBe("default-src 'self'");
      expect(directive(policy, 'object-src')).toBe("object-src 'none'");
      expect(directive(policy, 'base-uri')).toBe("base-uri 'none'");
    }
    // frame-ancestors is ignored in a <meta>: the headers carry it.
    expect(directive(RENDERER_META_CSP, 'frame-ancestors')).toBeUndefined();
    expect(directive(HTTP_HOST_CSP, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(APP_PROTOCOL_CSP, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    // The Electron page talks through the preload bridge: no WebSocket to anywhere.
    expect(directive(APP_PROTOCOL_CSP, 'connect-src')).toBe("connect-src 'self'");
  });

  it('is in renderer/index.html exactly as in content-security-policy.ts', () => {
    const html = readFileSync(join(PROJECT_ROOT, 'renderer', 'index.html'), 'utf8');
    expect(metaCsp(html)).toEqual([RENDERER_META_CSP]);
  });

  it('is in the built index.html, which has no inline script or handler', () => {
    const html = readFileSync(join(BUILT, 'index.html'), 'utf8');
    expect(metaCsp(html)).toEqual([RENDERER_META_CSP]);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThanOrEqual(2); // boot.js and the bundle
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\.?\/[^"]+"/); // a file of the app, by relative path
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('is sent by the headless host with the built page', async () => {
    host = await startHttpHost(
      {
        auth: closedAuth,
        dispatchAs: async () => ({
          type: 'response',
          id: 0,
          ok: false,
          error: { code: 'bad_request', message: 'not used' },
        }),
        onSnapshot: () => () => {},
        nowMs: () => 0,
      },
      { host: '127.0.0.1', port: 0, rendererDir: BUILT },
    );
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(HTTP_HOST_CSP);
    expect(metaCsp(await page.text())).toEqual([RENDERER_META_CSP]);
  });
});
