// Who counts as the app's own page. main-security.ts imports only electron's types, so no
// mock is needed here; its wiring into main is tested in electron-shell.test.ts.
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../electron/ipc-channels';
import { isOwnFrame } from '../../electron/main-security';

describe('the app origin', () => {
  it('is app://station and nothing that merely starts like it', () => {
    expect(isAppUrl('app://station/index.html')).toBe(true);
    expect(isAppUrl('app://station/index.html#/market')).toBe(true);
    for (const url of [
      'app://station.evil/index.html',
      'app://station@evil/index.html',
      'app://user@station/index.html',
      'app://station:8080/index.html',
      'app://other/index.html',
      'https://station/index.html',
      'file:///work/main/out/renderer/index.html',
      'about:blank',
      'not a url',
      '',
      null,
      undefined,
    ])
      expect(isAppUrl(url), String(url)).toBe(false);
  });

  it('answers IPC only for the top frame of an app page', () => {
    const top = { url: 'app://station/index.html', parent: null };
    expect(isOwnFrame({ senderFrame: top as never })).toBe(true);
    expect(isOwnFrame({ senderFrame: { ...top, parent: top } as never })).toBe(false);
    expect(isOwnFrame({ senderFrame: { ...top, url: 'https://evil.example/' } as never })).toBe(
      false,
    );
    expect(isOwnFrame({ senderFrame: null })).toBe(false);
  });
});
