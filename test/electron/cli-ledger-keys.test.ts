// Station ledger key files (electron/station/ledger-keys.ts) and GET /api/ledger/head.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../core/ledger/hashing';
import { rawPublicKey } from '../../core/ledger/signing';
import { handleReadApi } from '../../electron/host/read-api';
import { loadOrCreateStationKey, readStationPublicKey } from '../../electron/station/ledger-keys';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-ledger-keys-');

describe('station ledger key', () => {
  it('is created on first use: private 0600 in a 0700 folder, public alongside, id from the raw key', () => {
    const dir = tempDir();
    const key = loadOrCreateStationKey(dir);
    expect(key.privateKeyPath).toBe(join(dir, 'keys', 'ledger-ed25519.pem'));
    expect(key.publicKeyPath).toBe(join(dir, 'keys', 'ledger-ed25519.pub.pem'));
    if (process.platform !== 'win32') {
      expect(statSync(key.privateKeyPath).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    }
    expect(readFileSync(key.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(key.keyId).toBe(keyIdOf(rawPublicKey(readStationPublicKey(dir)!)));
    const data = Buffer.from('block');
    expect(key.signer.sign(data)).toHaveLength(64);
  });

  it('is kept across runs, and the public file is rewritten if it went missing', () => {
    const dir = tempDir();
    const first = loadOrCreateStationKey(dir);
    rmSync(first.publicKeyPath);
    const second = loadOrCreateStationKey(dir);
    expect(second.keyId).toBe(first.keyId);
    expect(existsSync(second.publicKeyPath)).toBe(true);
  });

  it('stores the private key wrapped when a protection hook is given, and needs it to load', () => {
    const dir = tempDir();
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const protect = { wrap: xor, unwrap: xor };
    const key = loadOrCreateStationKey(dir, protect);
    expect(readFileSync(key.privateKeyPath, 'utf8')).toMatch(
      /^-----BEGIN MICROGRID WRAPPED PRIVATE KEY-----/,
    );
    expect(loadOrCreateStationKey(dir, protect).keyId).toBe(key.keyId);
    expect(() => loadOrCreateStationKey(dir)).toThrow(/protected by the desktop app's key store/);
  });
});

describe('GET /api/ledger/head', () => {
  async function serve(
    extras: Parameters<typeof handleReadApi>[4],
  ): Promise<{ server: Server; url: string }> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://station.invalid');
      void handleReadApi(
        url,
        res,
        async () => ({ type: 'response', id: 0, ok: true, value: {} }) as never,
        0,
        extras,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('answers the head the station provides, 503 when it keeps no ledger', async () => {
    const head = { height: 3, hash: 'ab'.repeat(32), entries: 11 };
    const withLedger = await serve({ ledgerHead: () => head });
    const response = await fetch(`${withLedger.url}/api/ledger/head`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(head);
    withLedger.server.close();
    const without = await serve({});
    const missing = await fetch(`${without.url}/api/ledger/head`);
    expect(missing.status).toBe(503);
    expect(await missing.json()).toMatchObject({ error: { code: 'unavailable' } });
    without.server.close();
  });
});
