// The station's SunSpec poller against the demo simulators over real Modbus TCP: what it
// reports as canonical points must be what the physics put in the registers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../core/site/device-url';
import { SunspecPoller } from '../../../drivers/devices/sunspec-poller';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../../support/demo';

let grid: DemoMicrogrid;
let pool: LinkPool;

beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 10));
  pool = new LinkPool({ timeoutMs: 500, backoff: { initialMs: 50, maxMs: 200, factor: 2 } });
});
afterAll(async () => {
  await pool.closeAll();
  await grid.stop();
});

function pollerFor(deviceId: string): SunspecPoller {
  const device = grid.site.devices.find((d) => d.id === deviceId)!;
  const endpoint = parseDeviceUrl(device.url);
  if (!endpoint.ok) throw new Error(endpoint.error.message);
  const unit = pool.unit(endpoint.value);
  if (!unit.ok) throw new Error(unit.error.message);
  return new SunspecPoller(device, unit.value);
}

describe('SunspecPoller on the demo devices', () => {
  it('maps every role onto canonical points with the physics values', async () => {
    const state = grid.state();
    const [gridMeter, pv, battery, meter] = await Promise.all(
      ['grid-meter', 'pv-02', 'community-battery', 'meter-04'].map((id) => pollerFor(id).poll()),
    );
    expect(Math.abs((gridMeter!.values.powerW ?? NaN) - state.grid.powerW)).toBeLessThanOrEqual(5); // W_SF = 1
    expect(
      Math.abs((gridMeter!.values.frequencyHz ?? NaN) - state.grid.frequencyHz),
    ).toBeLessThanOrEqual(0.0051); // Hz_SF = -2
    expect(pv!.values).toMatchObject({
      powerW: state.pv['pv-02']!.powerW,
      ratedPowerW: state.pv['pv-02']!.ratedPowerW,
      powerLimitPct: 100,
    });
    expect(pv!.values.powerW).toBeGreaterThan(0);
    expect(battery!.values).toMatchObject({
      capacityWh: 100_000,
      maxChargeW: 50_000,
      maxDischargeW: 50_000,
    });
    expect(battery!.values.socPct).toBeCloseTo(state.battery.socPct, 1);
    expect(meter!.values.powerW).toBe(state.households['meter-04']!.netW);
    expect(meter!.values.energyImportWh).toBe(
      1_000_000 + state.households['meter-04']!.energyImportWh,
    );
  });

  it('reports identity and health, and goes offline when the device stops answering', async () => {
    const poller = pollerFor('meter-09');
    expect(poller.status().state).toBe('connecting');
    expect(await poller.poll()).not.toBeNull();
    expect(poller.status()).toMatchObject({
      state: 'ok',
      lastError: null,
      identity: { serialNumber: 'SIM-meter-09', manufacturer: 'Microgrid Station' },
    });
    await grid.stop(); // all simulators gone
    for (let i = 0; i < 3; i++) expect(await poller.poll()).toBeNull();
    expect(poller.status().state).toBe('offline');
    expect(poller.status().lastError).toBeTruthy();
  });
});
