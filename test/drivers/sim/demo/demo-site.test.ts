import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSite } from '../../../../core/site/site-schema';
import { parseDeviceUrl } from '../../../../core/site/device-url';
import type { Site } from '../../../../core/site/site-types';
import { RESOURCES_DIR } from './demo-fixture';

const raw: unknown = JSON.parse(readFileSync(join(RESOURCES_DIR, 'demo-site.json'), 'utf8'));

function site(): Site {
  const parsed = parseSite(raw);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const endpoint = (url: string): { port: number; unitId: number } => {
  const parsed = parseDeviceUrl(url);
  if (!parsed.ok || parsed.value.kind !== 'modbus-tcp')
    throw new Error(`not a modbus-tcp URL: ${url}`);
  return { port: parsed.value.port, unitId: parsed.value.unitId };
};

describe('demo site file', () => {
  it('passes the site schema', () => {
    const parsed = parseSite(raw);
    expect(parsed.ok ? 'ok' : parsed.error.message).toBe('ok');
  });

  it('has 12 households and one community member that owns the battery', () => {
    const s = site();
    const households = s.members.filter((m) => m.kind === 'household');
    expect(households).toHaveLength(12);
    const community = s.members.filter((m) => m.kind === 'community');
    expect(community).toHaveLength(1);
    const battery = s.devices.filter((d) => d.role === 'battery');
    expect(battery.map((d) => [d.id, d.memberId])).toEqual([
      ['community-battery', community[0]?.id],
    ]);
    const critical = households.filter((m) => m.critical).length;
    expect(critical >= 1 && critical <= 2).toBe(true);
    const prepaid = households.filter((m) => m.prepaid).length;
    expect(prepaid >= 2 && prepaid <= 4).toBe(true);
  });

  it('puts each device role on its own simulator port with the promised unit ids', () => {
    const s = site();
    const byRole = (role: string) =>
      s.devices
        .filter((d) => d.role === role && d.profile === undefined)
        .map((d) => ({ id: d.id, memberId: d.memberId, ...endpoint(d.url) }));
    expect(byRole('grid-meter')).toEqual([
      { id: 'grid-meter', memberId: null, port: 1502, unitId: 1 },
    ]);
    expect(byRole('battery')).toMatchObject([{ port: 1504, unitId: 1 }]);
    const pv = byRole('pv-inverter');
    expect(pv.map((d) => d.port)).toEqual(Array(6).fill(1503));
    expect(pv.map((d) => d.unitId)).toEqual([1, 2, 3, 4, 5, 6]);
    const meters = byRole('household-meter');
    expect(meters.map((d) => d.port)).toEqual(Array(12).fill(1505));
    expect(meters.map((d) => d.unitId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // One meter per household; PV on six different households, each with a meter.
    const households = s.members.filter((m) => m.kind === 'household').map((m) => m.id);
    expect(meters.map((d) => d.memberId).sort()).toEqual([...households].sort());
    expect(new Set(pv.map((d) => d.memberId)).size).toBe(6);
    for (const d of pv) expect(households).toContain(d.memberId);
    // The one device without SunSpec: the community hall's own Eastron meter on its own port.
    const profiled = s.devices.filter((d) => d.profile !== undefined);
    expect(profiled.map((d) => ({ ...d, ...endpoint(d.url) }))).toMatchObject([
      {
        id: 'community-hall-meter',
        role: 'household-meter',
        memberId: 'co-op',
        profile: 'eastron-sdm630',
        port: 1506,
        unitId: 1,
      },
    ]);
    expect(s.members.find((m) => m.id === 'co-op')?.kind).toBe('community');
    for (const d of s.devices) expect(d).toMatchObject({ pollIntervalMs: 1000, enabled: true });
    expect(new Set(s.devices.map((d) => d.url)).size).toBe(s.devices.length);
  });

  it('has a feeder tree rooted at the grid connection with capacities on the branch links', () => {
    const s = site();
    const root = s.feeders.filter((f) => f.parentId === null);
    expect(root).toHaveLength(1);
    const branches = s.feeders.filter((f) => f.parentId !== null);
    expect(branches.length).toBeGreaterThanOrEqual(2);
    for (const f of branches) {
      expect(f.parentId).toBe(root[0]?.id);
      expect(f.linkCapacityWh).toBeGreaterThan(0);
    }
    for (const m of s.members) expect(s.feeders.map((f) => f.id)).toContain(m.feederId);
    // Every branch carries households.
    for (const f of branches) expect(s.members.some((m) => m.feederId === f.id)).toBe(true);
  });

  it('has a plausible commercial frame', () => {
    const s = site();
    expect(s.tariffs).toMatchObject({ currency: 'EUR', minorUnitDigits: 2 });
    expect(s.tariffs.feedInMinorPerKWh).toBeGreaterThan(5);
    expect(s.tariffs.feedInMinorPerKWh).toBeLessThan(s.tariffs.retailMinorPerKWh);
    expect(s.tariffs.gridFeeMinorPerKWh).toBeLessThan(
      s.tariffs.retailMinorPerKWh - s.tariffs.feedInMinorPerKWh,
    );
    expect(s.market.intervalMinutes).toBe(15);
    expect(s.grid).toEqual({ importLimitW: 60_000, exportLimitW: 30_000 });
    expect(s.timezone).toBe('Europe/Berlin');
    expect(s.location?.latitudeDeg).toBeCloseTo(52.4, 0);
  });
});
