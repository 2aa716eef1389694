import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../../core/points/snapshot-builder';
import type { Site } from '../../../core/site/site-types';
import { smallSite } from '../site/site-fixture';

const T0 = Date.UTC(2026, 5, 1, 12);

function siteWithPvAndBattery(): Site {
  const site = smallSite();
  site.devices.push(
    {
      id: 'h1-pv',
      name: 'PV 1',
      url: 'modbus-tcp://127.0.0.1:1503?unit=1',
      role: 'pv-inverter',
      memberId: 'h1',
      pollIntervalMs: 1000,
      enabled: true,
    },
    {
      id: 'battery',
      name: 'Battery',
      url: 'modbus-tcp://127.0.0.1:1504?unit=1',
      role: 'battery',
      memberId: 'coop',
      pollIntervalMs: 1000,
      enabled: true,
    },
  );
  return site;
}

describe('SnapshotBuilder', () => {
  it('derives load from PV + battery + grid and reports member flows', () => {
    const builder = new SnapshotBuilder(siteWithPvAndBattery());
    builder.record({ deviceId: 'grid-meter', tsMs: T0, values: { powerW: -1200 } });
    builder.record({ deviceId: 'h1-pv', tsMs: T0, values: { powerW: 4000 } });
    builder.record({
      deviceId: 'battery',
      tsMs: T0,
      values: { powerW: -1500, socPct: 40, capacityWh: 100_000 },
    });
    builder.record({ deviceId: 'h1-meter', tsMs: T0, values: { powerW: -2500 } });
    const snap = builder.build(T0 + 500);
    expect(snap.flows).toEqual({
      pvW: 4000,
      batteryW: -1500,
      gridW: -1200,
      loadW: 1300,
      socPct: 40,
    });
    expect(snap.members).toEqual([
      { memberId: 'h1', netW: -2500, pvW: 4000 },
      { memberId: 'coop', netW: null, pvW: null },
    ]);
    expect(snap.points['site.loadW']).toMatchObject({ value: 1300, unit: 'W', stale: false });
    expect(snap.points['battery.socPct']).toMatchObject({ value: 40, unit: '%', stale: false });
  });

  it('marks readings stale after three missed polls and then refuses to derive flows', () => {
    const builder = new SnapshotBuilder(siteWithPvAndBattery());
    builder.record({ deviceId: 'grid-meter', tsMs: T0, values: { powerW: 500 } });
    builder.record({ deviceId: 'h1-pv', tsMs: T0, values: { powerW: 0 } });
    builder.record({ deviceId: 'battery', tsMs: T0, values: { powerW: 0, socPct: 50 } });
    expect(builder.build(T0 + 3000).flows.gridW).toBe(500);
    const late = builder.build(T0 + 3001);
    expect(late.points['grid-meter.powerW']?.stale).toBe(true);
    expect(late.flows).toEqual({
      pvW: null,
      batteryW: null,
      gridW: null,
      loadW: null,
      socPct: null,
    });
  });

  it('treats every value of an offline device as stale at once', () => {
    const builder = new SnapshotBuilder(siteWithPvAndBattery());
    builder.record({ deviceId: 'grid-meter', tsMs: T0, values: { powerW: 500 } });
    builder.setStatus({
      id: 'grid-meter',
      state: 'offline',
      lastGoodReadMs: T0,
      latencyMs: 3,
      errorCount: 3,
      lastError: 'timeout',
      identity: null,
    });
    const snap = builder.build(T0 + 100);
    expect(snap.points['grid-meter.powerW']?.stale).toBe(true);
    expect(snap.devices['grid-meter']?.state).toBe('offline');
    expect(snap.devices['h1-meter']?.state).toBe('connecting');
  });

  it('holds the site balance load = pv + battery + grid for any fresh readings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: -60_000, max: 60_000 }),
        (pvW, batteryW, gridW) => {
          const builder = new SnapshotBuilder(siteWithPvAndBattery());
          builder.record({ deviceId: 'grid-meter', tsMs: T0, values: { powerW: gridW } });
          builder.record({ deviceId: 'h1-pv', tsMs: T0, values: { powerW: pvW } });
          builder.record({
            deviceId: 'battery',
            tsMs: T0,
            values: { powerW: batteryW, socPct: 50 },
          });
          const { flows } = builder.build(T0);
          expect(flows.loadW).toBe(
            (flows.pvW ?? NaN) + (flows.batteryW ?? NaN) + (flows.gridW ?? NaN),
          );
        },
      ),
    );
  });
});
