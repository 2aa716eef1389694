// The fuses a packaged station gets. The Electron binary cannot be installed here, so the
// script flips a synthetic fuse wire laid out as Electron's (sentinel, version, length, one
// byte per fuse); on a packaged app it runs on the real binary (`npm run fuses -- PATH`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { applyPackagedFuses, PACKAGED_FUSES } from '../../scripts/electron-fuses';
import { useTempDirs } from '../support/temp-dir';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const tempDir = useTempDirs('mg-fuses-');

function fakeBinary(fuses: string): string {
  const path = join(tempDir(), 'microgrid-station');
  const wire = Buffer.concat([
    Buffer.from('\x7fELF…code…'),
    Buffer.from(SENTINEL),
    Buffer.from([1, fuses.length]),
    Buffer.from(fuses),
    Buffer.from('…more code'),
  ]);
  writeFileSync(path, wire);
  return path;
}

describe('Electron fuses for packaged builds', () => {
  it('sets every fuse of the V1 wire, each on purpose', () => {
    expect(PACKAGED_FUSES).toEqual({
      version: '1',
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('flips an Electron-like fuse wire and reads it back', async () => {
    // Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on.
    const binary = fakeBinary('10110001');
    expect(await applyPackagedFuses(binary)).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '0',
      GrantFileProtocolExtraPrivileges: '0',
    });
    expect(readFileSync(binary).toString('latin1')).toContain(`${SENTINEL}\x01\x0801001100`);
  });

  it('refuses a binary without a fuse wire, and a wire with fuses it does not know', async () => {
    const plain = join(tempDir(), 'not-electron');
    writeFileSync(plain, 'no fuses here');
    await expect(applyPackagedFuses(plain)).rejects.toThrow(/sentinel/);
    // A newer Electron with a ninth fuse: strictlyRequireAllFuses makes that a decision.
    await expect(applyPackagedFuses(fakeBinary('101100010'))).rejects.toThrow(
      /strictlyRequireAllFuses/,
    );
  });
});
