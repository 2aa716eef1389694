import { describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../core/site/device-url';
import { parseSite, parseSiteJson } from '../../../core/site/site-schema';
import { smallSite } from './site-fixture';

function breakSite(edit: (site: Record<string, any>) => void): unknown {
  const site = structuredClone(smallSite()) as Record<string, any>;
  edit(site);
  return site;
}

describe('parseSite', () => {
  it('accepts a valid site unchanged', () => {
    const result = parseSite(smallSite());
    expect(result).toEqual({ ok: true, value: smallSite() });
  });

  it.each([
    ['devices[1].url', (s: any) => (s.devices[1].url = 'http://x'), /unsupported scheme "http:"/],
    ['devices[0].role', (s: any) => (s.devices[0].role = 'toaster'), /devices\[0\]\.role/],
    [
      'devices[1].memberId',
      (s: any) => (s.devices[1].memberId = 'ghost'),
      /unknown member "ghost"/,
    ],
    [
      'members[0].feederId',
      (s: any) => (s.members[0].feederId = 'south'),
      /unknown feeder "south"/,
    ],
    ['members[1].id', (s: any) => (s.members[1].id = 'h1'), /duplicate member id "h1"/],
    [
      'tariffs.feedInMinorPerKWh',
      (s: any) => (s.tariffs.feedInMinorPerKWh = 40),
      /must not exceed retailMinorPerKWh/,
    ],
    [
      'tariffs.retailMinorPerKWh',
      (s: any) => (s.tariffs.retailMinorPerKWh = 32.123456),
      /at most 4 decimals/,
    ],
    [
      'market.intervalMinutes',
      (s: any) => (s.market.intervalMinutes = 10),
      /must be one of 5, 15, 60/,
    ],
    ['timezone', (s: any) => (s.timezone = 'Mars/Olympus'), /IANA time zone/],
    ['grid.importLimitW', (s: any) => (s.grid.importLimitW = -1), /grid\.importLimitW/],
    ['devices[0].id', (s: any) => (s.devices[0].id = 'Grid Meter'), /kebab-case/],
    ['devices[0].id', (s: any) => (s.devices[0].id = 'site'), /reserved/],
    ['feeders', (s: any) => (s.feeders[1].parentId = null), /exactly one feeder/],
    ['schemaVersion', (s: any) => (s.schemaVersion = 2), /schemaVersion: must be 1/],
  ])('names the bad field %s', (path, edit, message) => {
    const result = parseSite(breakSite(edit));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => i.path)).toContain(path);
    expect(result.error.message).toMatch(message);
  });

  it('rejects unknown fields instead of silently dropping them', () => {
    const result = parseSite(breakSite((s) => (s.devices[0].ratedPowrW = 5000)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/devices\[0\].*ratedPowrW/);
  });

  it('reports JSON syntax errors', () => {
    const result = parseSiteJson('{"id": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_json');
  });
});

describe('parseDeviceUrl', () => {
  it('parses the three Modbus forms and OPC UA', () => {
    expect(parseDeviceUrl('modbus-tcp://127.0.0.1:1502?unit=3')).toEqual({
      ok: true,
      value: { kind: 'modbus-tcp', host: '127.0.0.1', port: 1502, unitId: 3 },
    });
    expect(
      parseDeviceUrl('modbus-rtu:///dev/ttyUSB0?baud=19200&parity=even&stop=1&unit=2'),
    ).toEqual({
      ok: true,
      value: {
        kind: 'modbus-rtu',
        path: '/dev/ttyUSB0',
        baudRate: 19200,
        parity: 'even',
        stopBits: 1,
        dataBits: 8,
        unitId: 2,
      },
    });
    expect(parseDeviceUrl('modbus-rtuovertcp://gw.local?unit=7')).toMatchObject({
      ok: true,
      value: { port: 502, unitId: 7 },
    });
    expect(parseDeviceUrl('opc.tcp://plc.local:4840/UA/Battery')).toMatchObject({
      ok: true,
      value: { kind: 'opcua', port: 4840 },
    });
  });

  it.each([
    'modbus-tcp://h?unit=0',
    'modbus-tcp://h?unit=300',
    'modbus-tcp://h?unit=1.5',
    'modbus-rtu:///dev/x?baud=1234',
    'modbus-rtu:///dev/x?parity=mark',
    'nonsense',
    'ftp://x',
  ])('refuses %s', (url) => expect(parseDeviceUrl(url).ok).toBe(false));
});
