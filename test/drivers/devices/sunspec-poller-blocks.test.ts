// The SunSpec poller's planned block reads over loopback TCP: requests per cycle, slow
// points, registers the device refuses, and re-discovery when the map or device changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../core/site/device-url';
import { SunspecPoller } from '../../../drivers/devices/sunspec-poller';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../../support/demo';
import { meterImage, pollerFor, pvImage, simUnit } from './support/sunspec-sim';

async function polls(poller: SunspecPoller, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const reading = await poller.poll();
    out.push({ reading, requests: poller.lastCycle()?.requests ?? NaN });
  }
  return out;
}

describe('requests per cycle on the demo devices', () => {
  let grid: DemoMicrogrid;
  let pool: LinkPool;
  beforeAll(async () => {
    grid = await startPausedDemo(Date.UTC(2026, 5, 21, 10));
    pool = new LinkPool({ timeoutMs: 500 });
  });
  afterAll(async () => {
    await pool.closeAll();
    await grid.stop();
  });

  it.each(['pv-02', 'grid-meter', 'meter-04', 'community-battery'])(
    '%s: one request on fast cycles, at most two on slow ones (the battery: two and three)',
    async (id) => {
      const device = grid.site.devices.find((d) => d.id === id)!;
      const endpoint = parseDeviceUrl(device.url);
      if (!endpoint.ok) throw new Error(endpoint.error.message);
      const unit = pool.unit(endpoint.value);
      if (!unit.ok) throw new Error(unit.error.message);
      const poller = new SunspecPoller(device, unit.value, Date.now, { slow: { everyCycles: 5 } });
      const cycles = await polls(poller, 6);
      expect(cycles.every((c) => c.reading !== null)).toBe(true);
      const fast = cycles.filter((_, i) => i % 5 !== 0).map((c) => c.requests);
      const slow = [cycles[0]!.requests, cycles[5]!.requests];
      // The battery's fast points span 103 … 802 (over 200 registers, with model 122's grid
      // connection): two blocks even on fast cycles; with model 1's identity, 282 registers
      // on slow ones: three.
      const battery = id === 'community-battery';
      expect(Math.max(...fast)).toBeLessThanOrEqual(battery ? 2 : 1);
      expect(Math.max(...slow)).toBeLessThanOrEqual(battery ? 3 : 2);
      // Slow points are reported on fast cycles too, from their last read.
      const last = cycles[4]!.reading!.values;
      const state = grid.state();
      if (id === 'pv-02')
        expect(last.energyProducedWh).toBe(1_000_000 + state.pv['pv-02']!.energyProducedWh);
      if (id === 'meter-04')
        expect(last.energyImportWh).toBe(1_000_000 + state.households['meter-04']!.energyImportWh);
    },
  );
});

describe('registers the device refuses', () => {
  // Model 123 body starts at 40152: OutPFSet … VArPct_Ena are offsets 8–20.
  const inside123 = Array.from({ length: 13 }, (_, i) => 40152 + 8 + i);

  it('keeps reporting every point and settles on a stable plan', async () => {
    const unit = simUnit(pvImage(), inside123);
    const { poller } = await pollerFor(unit, 'pv-inverter');
    const cycles = await polls(poller, 5);
    for (const { reading } of cycles) {
      expect(reading?.values).toMatchObject({
        powerW: 4321,
        voltageV: 230.5,
        frequencyHz: 50.01,
        powerLimitPct: 100,
      });
    }
    expect(cycles[0]!.reading?.values).toMatchObject({
      ratedPowerW: 5000,
      energyProducedWh: 123_456,
    });
    const requests = cycles.map((c) => c.requests);
    expect(requests[0]).toBeGreaterThan(requests[1]!);
    expect(new Set(requests.slice(1)).size).toBe(1);
    expect(requests[1]).toBe(2); // 40070…40155, then WMaxLimPct_SF at 40173 on its own
    expect(unit.log.slice(-2).every((r) => !r.refused)).toBe(true);
    expect(poller.status()).toMatchObject({ state: 'ok', lastError: null });
  });

  it('plans around registers known to be unreadable from the first cycle on', async () => {
    // Discovery reads headers only here, so that only the cycles could touch 123's insides.
    const discovery = { blockRegs: 2 };
    const unaware = simUnit(pvImage(), inside123);
    await polls((await pollerFor(unaware, 'pv-inverter', { discovery })).poller, 1);
    expect(unaware.log.some((r) => r.refused)).toBe(true);
    const unit = simUnit(pvImage(), inside123);
    const { poller } = await pollerFor(unit, 'pv-inverter', {
      discovery,
      // As vendor quirks would say it: model 123, offsets 8–20.
      knownUnreadable: (map, identity) => {
        expect(identity?.serialNumber).toBe('PV-1');
        const model = map.models.find((m) => m.id === 123)!;
        return [{ address: model.address + 2 + 8, count: 13 }];
      },
    });
    const cycles = await polls(poller, 3);
    expect(cycles.every((c) => c.reading?.values.powerLimitPct === 100)).toBe(true);
    expect(unit.log.some((r) => r.refused)).toBe(false);
  });

  it('reports a refused point as null and the rest as usual', async () => {
    const unit = simUnit(pvImage(), [40152 + 3]); // WMaxLimPct itself
    const { poller } = await pollerFor(unit, 'pv-inverter');
    const [first, second, third] = await polls(poller, 3);
    for (const cycle of [first!, second!, third!]) {
      expect(cycle.reading?.values.powerLimitPct).toBeNull();
      expect(cycle.reading?.values.powerW).toBe(4321);
    }
    expect(second!.requests).toBe(third!.requests);
    expect(poller.lastCycle()?.unreadable).toBe(1);
  });
});

describe('re-discovery', () => {
  it('drops the map when a model header changes, and finds the new one', async () => {
    const unit = simUnit(meterImage());
    const { poller, server } = await pollerFor(unit, 'grid-meter');
    expect((await poller.poll())?.values.powerW).toBe(-1500);
    // Firmware update: the meter now has a nameplate model first, so 203 moved.
    server.setUnit(1, simUnit(meterImage('M-1', [{ id: 120, values: {} }])).handler);
    expect(await poller.poll()).toBeNull();
    expect(poller.status().lastError).toMatch(/stale_map: expected model 203/);
    const after = await poller.poll();
    expect(after?.values).toMatchObject({ powerW: -1500, energyExportWh: 7000 });
    expect(poller.status().lastError).toBeNull();
  });

  it('re-discovers when the serial number changes (a swapped device)', async () => {
    const unit = simUnit(meterImage('M-1'));
    const { poller, server } = await pollerFor(unit, 'grid-meter', { slow: { everyCycles: 2 } });
    await poller.poll();
    expect(poller.status().identity?.serialNumber).toBe('M-1');
    server.setUnit(1, simUnit(meterImage('M-2')).handler);
    await poller.poll(); // fast cycle: identity not read
    expect(await poller.poll()).toBeNull(); // slow cycle reads model 1
    expect(poller.status().lastError).toMatch(/serial number changed from M-1 to M-2/);
    expect(await poller.poll()).not.toBeNull();
    expect(poller.status().identity?.serialNumber).toBe('M-2');
  });
});
