// From a site file's OPC UA device to connection and monitoring settings; the password
// file in the data directory; the value conversion.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../../core/site/site-types';
import { opcuaDeviceSetup } from '../../../drivers/opcua/opcua-device-config';
import {
  deleteOpcuaPassword,
  opcuaSecretFile,
  readOpcuaPassword,
  writeOpcuaPassword,
} from '../../../drivers/opcua/opcua-device-config-secrets';
import { convert } from '../../../drivers/opcua/opcua-poller';
import { createOpcuaPoller } from '../../../drivers/opcua/opcua-poller-factory';
import { OpcuaSessionManager, serverKey } from '../../../drivers/opcua/session-manager';

const dataDir = mkdtempSync(join(tmpdir(), 'mg-opcua-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const battery: DeviceConfig = {
  id: 'container',
  name: 'Container',
  url: 'opc.tcp://10.0.0.5:4840/battery',
  role: 'battery',
  memberId: null,
  pollIntervalMs: 2000,
  enabled: true,
  opcua: {
    securityMode: 'sign-encrypt',
    username: 'operator',
    points: [
      { point: 'powerW', nodeId: 'ns=2;s=P', scale: 1000, invert: true, deadband: 0.5 },
      { point: 'socPct', nodeId: 'ns=2;s=Soc' },
    ],
  },
};

describe('opcuaDeviceSetup', () => {
  it('fills defaults from the poll interval and keeps items aligned with points', () => {
    const setup = opcuaDeviceSetup(battery, 'pw');
    expect(setup).toEqual({
      ok: true,
      value: {
        server: {
          endpointUrl: 'opc.tcp://10.0.0.5:4840/battery',
          securityMode: 'sign-encrypt',
          allowInsecure: false,
          identity: { kind: 'username', username: 'operator', password: 'pw' },
        },
        set: {
          publishingIntervalMs: 2000,
          keepAliveMs: 2000,
          items: [
            { nodeId: 'ns=2;s=P', samplingIntervalMs: 2000, deadband: 0.5 },
            { nodeId: 'ns=2;s=Soc', samplingIntervalMs: 2000, deadband: null },
          ],
        },
        points: [
          { point: 'powerW', nodeId: 'ns=2;s=P', scale: 1000, invert: true },
          { point: 'socPct', nodeId: 'ns=2;s=Soc', scale: 1, invert: false },
        ],
        staleAfterMs: 6000,
      },
    });
  });

  it('uses anonymous without a user, and refuses what cannot work', () => {
    const anonymous = structuredClone(battery);
    delete anonymous.opcua!.username;
    const setup = opcuaDeviceSetup(anonymous, null);
    expect(setup.ok && setup.value.server.identity).toEqual({ kind: 'anonymous' });
    expect(opcuaDeviceSetup(battery, null)).toMatchObject({
      ok: false,
      error: { code: 'no_password', message: expect.stringMatching(/secrets\/opcua\/container/) },
    });
    const bare = structuredClone(battery);
    delete bare.opcua;
    expect(opcuaDeviceSetup(bare, null)).toMatchObject({
      ok: false,
      error: { code: 'not_configured' },
    });
    expect(opcuaDeviceSetup({ ...battery, url: 'modbus-tcp://1.2.3.4' }, 'pw')).toMatchObject({
      ok: false,
      error: { code: 'bad_url' },
    });
  });

  it('gives devices on one server with one user one key, and others their own', () => {
    const a = opcuaDeviceSetup(battery, 'pw');
    const b = opcuaDeviceSetup({ ...battery, id: 'other' }, 'pw');
    const c = opcuaDeviceSetup(battery, 'another password');
    if (!a.ok || !b.ok || !c.ok) throw new Error('setup failed');
    expect(serverKey(a.value.server)).toBe(serverKey(b.value.server));
    expect(serverKey(a.value.server)).not.toBe(serverKey(c.value.server));
    expect(serverKey(a.value.server)).not.toContain('pw');
  });
});

describe('OPC UA passwords in the data directory', () => {
  it('are written 0600 in a 0700 folder, read back and deleted', async () => {
    expect(readOpcuaPassword(dataDir, 'container')).toEqual({ ok: true, value: null });
    expect(await writeOpcuaPassword(dataDir, 'container', 'sécret "1"')).toEqual({
      ok: true,
      value: undefined,
    });
    const file = opcuaSecretFile(dataDir, 'container');
    expect(file).toBe(join(dataDir, 'secrets', 'opcua', 'container.json'));
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'secrets', 'opcua')).mode & 0o777).toBe(0o700);
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ password: 'sécret "1"' });
    expect(readOpcuaPassword(dataDir, 'container')).toEqual({ ok: true, value: 'sécret "1"' });
    expect((await deleteOpcuaPassword(dataDir, 'container')).ok).toBe(true);
    expect(readOpcuaPassword(dataDir, 'container')).toEqual({ ok: true, value: null });
  });

  it('tighten a file readable by others, and refuse junk without throwing', async () => {
    await writeOpcuaPassword(dataDir, 'loose', 'pw');
    const file = opcuaSecretFile(dataDir, 'loose');
    if (process.platform !== 'win32') {
      chmodSync(file, 0o644);
      expect(readOpcuaPassword(dataDir, 'loose')).toEqual({ ok: true, value: 'pw' });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    writeFileSync(file, '{"password": 42}');
    expect(readOpcuaPassword(dataDir, 'loose')).toMatchObject({
      ok: false,
      error: { code: 'bad_secret' },
    });
    writeFileSync(file, 'not json');
    expect(readOpcuaPassword(dataDir, 'loose')).toMatchObject({
      ok: false,
      error: { code: 'bad_secret' },
    });
    expect(readOpcuaPassword(dataDir, '../etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'bad_device_id' },
    });
    expect(await writeOpcuaPassword(dataDir, 'A/B', 'x')).toMatchObject({ ok: false });
  });

  it('a device naming a user without a stored password gets no poller, with the reason', async () => {
    const manager = new OpcuaSessionManager({ dataDir });
    const created = createOpcuaPoller({ ...battery, id: 'nobody' }, manager, dataDir);
    expect(created).toMatchObject({ ok: false, error: { code: 'no_password' } });
    expect(manager.serverCount).toBe(0);
    await manager.closeAll();
  });
});

describe('convert', () => {
  const p = { nodeId: 'i=1', scale: 1, invert: false } as const;
  it('scales, inverts, rounds energy to whole Wh and never returns -0', () => {
    expect(convert(1.5, { ...p, point: 'powerW', scale: 1000 })).toBe(1500);
    expect(convert(2, { ...p, point: 'powerW', invert: true })).toBe(-2);
    expect(convert(0, { ...p, point: 'powerW', invert: true })).toBe(0);
    expect(Object.is(convert(0, { ...p, point: 'powerW', invert: true }), -0)).toBe(false);
    expect(convert(12.345, { ...p, point: 'energyImportWh', scale: 1000 })).toBe(12345);
    expect(convert(1.2345, { ...p, point: 'energyImportWh' })).toBe(1);
    expect(convert(49.95, { ...p, point: 'frequencyHz' })).toBe(49.95);
  });
});
