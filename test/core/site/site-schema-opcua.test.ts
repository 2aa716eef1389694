import { describe, expect, it } from 'vitest';
import { parseSite } from '../../../core/site/site-schema';
import type { DeviceConfig, Site } from '../../../core/site/site-types';
import { smallSite } from './site-fixture';

function battery(opcua: unknown): DeviceConfig {
  return {
    id: 'container',
    name: 'Battery container',
    url: 'opc.tcp://10.0.0.5:4840/battery',
    role: 'battery',
    memberId: null,
    pollIntervalMs: 1000,
    enabled: true,
    opcua: opcua as DeviceConfig['opcua'],
  };
}

const secure = {
  securityMode: 'sign-encrypt',
  securityPolicy: 'Aes256_Sha256_RsaPss',
  username: 'operator',
  samplingIntervalMs: 250,
  publishingIntervalMs: 500,
  points: [
    { point: 'socPct', nodeId: 'ns=2;s=BatteryContainer.SocPct' },
    { point: 'powerW', nodeId: 'ns=2;s=BatteryContainer.PowerKw', scale: 1000, invert: true },
    { point: 'voltageV', nodeId: 'i=2258', deadband: 0.5 },
    { point: 'frequencyHz', nodeId: 'nsu=urn:vendor:plc;s=Grid.Hz' },
    { point: 'capacityWh', nodeId: 'ns=3;g=09087e75-8e5e-499b-954f-f2a9603db28a' },
    { point: 'ratedPowerW', nodeId: 'ns=1;b=M/RbKBsRVkePCePcx24oRA==' },
  ],
};

function siteWith(opcua: unknown, url?: string): Site {
  const site = smallSite();
  site.devices.push({ ...battery(opcua), ...(url ? { url } : {}) });
  return site;
}

function problems(input: unknown): { path: string | undefined; message: string }[] {
  const result = parseSite(input);
  if (result.ok) return [];
  return result.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('site schema: the opcua section of a device', () => {
  it('accepts a complete section unchanged', () => {
    const site = siteWith(secure);
    expect(parseSite(site)).toEqual({ ok: true, value: site });
  });

  it('keeps site files without it valid, also for opc.tcp devices', () => {
    const site = smallSite();
    site.devices.push({ ...battery(undefined) });
    delete site.devices[site.devices.length - 1]!.opcua;
    expect(parseSite(site).ok).toBe(true);
    expect(parseSite(smallSite())).toEqual({ ok: true, value: smallSite() });
  });

  it('accepts security none only with allowInsecure true and no policy but None', () => {
    const none = { securityMode: 'none', allowInsecure: true, points: secure.points };
    expect(parseSite(siteWith(none)).ok).toBe(true);
    expect(parseSite(siteWith({ ...none, securityPolicy: 'None' })).ok).toBe(true);
    expect(problems(siteWith({ ...none, allowInsecure: undefined }))).toEqual([
      {
        path: 'devices[2].opcua.allowInsecure',
        message: expect.stringMatching(/must be true for securityMode none/),
      },
    ]);
    expect(problems(siteWith({ ...none, allowInsecure: false }))[0]?.path).toBe(
      'devices[2].opcua.allowInsecure',
    );
    expect(problems(siteWith({ ...none, securityPolicy: 'Basic256Sha256' }))[0]?.path).toBe(
      'devices[2].opcua.securityPolicy',
    );
  });

  it.each([
    ['securityMode', (o: any) => (o.securityMode = 'encrypt'), /securityMode/],
    ['securityPolicy', (o: any) => (o.securityPolicy = 'None'), /must not be None/],
    ['securityPolicy', (o: any) => (o.securityPolicy = 'Basic256'), /securityPolicy/],
    ['securityPolicy', (o: any) => (o.securityPolicy = 'Basic128Rsa15'), /securityPolicy/],
    ['username', (o: any) => (o.username = '  '), /must not be empty/],
    ['password', (o: any) => (o.password = 'secret'), /password/],
    ['samplingIntervalMs', (o: any) => (o.samplingIntervalMs = -1), /samplingIntervalMs/],
    ['samplingIntervalMs', (o: any) => (o.samplingIntervalMs = 1.5), /samplingIntervalMs/],
    ['publishingIntervalMs', (o: any) => (o.publishingIntervalMs = 10), /at least 50 ms/],
    ['points', (o: any) => (o.points = []), /needs at least one point/],
    ['points[0].point', (o: any) => (o.points[0].point = 'socPercent'), /canonical point/],
    ['points[1].point', (o: any) => (o.points[1].point = 'socPct'), /duplicate point "socPct"/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 'BatteryContainer.SocPct'), /node id/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 'ns=70000;i=5'), /node id/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 'ns=2;s='), /node id/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 'i=99999999999'), /node id/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 'ns=1;g=xyz'), /node id/],
    ['points[0].nodeId', (o: any) => (o.points[0].nodeId = 42), /points\[0\]\.nodeId/],
    ['points[1].scale', (o: any) => (o.points[1].scale = 0), /other than 0/],
    ['points[1].scale', (o: any) => (o.points[1].scale = '1000'), /points\[1\]\.scale/],
    ['points[1].invert', (o: any) => (o.points[1].invert = 'yes'), /points\[1\]\.invert/],
    ['points[2].deadband', (o: any) => (o.points[2].deadband = -0.1), /must not be negative/],
    ['points[0].unit', (o: any) => (o.points[0].unit = 'W'), /points\[0\]/],
  ])('names the bad field opcua.%s', (field, edit, message) => {
    const opcua = structuredClone(secure) as Record<string, any>;
    edit(opcua);
    const found = problems(siteWith(opcua));
    expect(found.length).toBeGreaterThan(0);
    const paths = found.map((p) => p.path ?? '');
    expect(paths.some((p) => p.startsWith(`devices[2].opcua`))).toBe(true);
    expect(found.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(message);
    if (field !== 'password' && field !== 'points[0].unit')
      expect(paths).toContain(`devices[2].opcua.${field}`);
  });

  it('refuses an opcua section on a Modbus device', () => {
    expect(problems(siteWith(secure, 'modbus-tcp://10.0.0.5:502?unit=1'))).toEqual([
      { path: 'devices[2].opcua', message: 'devices[2].opcua: only for opc.tcp:// devices' },
    ]);
  });

  it('never throws on junk', () => {
    for (const junk of [null, 7, 'opcua', [], { points: null }, { securityMode: 'none' }])
      expect(parseSite(siteWith(junk)).ok).toBe(false);
  });
});
