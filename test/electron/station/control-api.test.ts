// The control loop in a running demo station: it runs every snapshot, decides a setpoint
// for the battery and the PV inverters within the safety envelope, measures its cycle,
// and an operator's mode and strategy changes are applied and recorded in the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { useTempDirs } from '../../support/temp-dir';
import { call, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-control-api-');
let station: Station;

beforeAll(async () => {
  station = await startRuntime({ dataDir: tempDir(), forceDemo: true, snapshotIntervalMs: 250 });
}, 30_000);
afterAll(async () => {
  await station?.stop();
});

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('control in the demo station', () => {
  it('runs every snapshot and decides the battery setpoint within the envelope', async () => {
    const view = await until(async () => {
      const v = await call(station, 'control.state', {});
      return v.decisions.some((d) => d.kind === 'battery') ? v : undefined;
    }, 'a battery decision');
    expect(view.mode).toBe('auto'); // the demo runs in automatic mode
    expect(view.islandPhase).toBe('grid-connected');
    expect(view.cycle.count).toBeGreaterThan(0);
    expect(view.cycle.lastMs).toBeLessThan(view.config.cycleMs);
    const battery = view.decisions.find((d) => d.kind === 'battery')!;
    expect(battery.limits).toBeDefined();
    if (battery.applied?.kind === 'battery') {
      expect(battery.applied.powerW).toBeLessThanOrEqual(battery.limits!.maxDischargeW);
      expect(battery.applied.powerW).toBeGreaterThanOrEqual(-battery.limits!.maxChargeW);
    }
    // Export is far below the demo's limit: no strategy asks to curtail PV.
    expect(view.decisions.filter((d) => d.kind === 'pv-limit')).toEqual([]);
  }, 30_000);

  it('switches mode and strategies on request and records both', async () => {
    const monitor = await call(station, 'control.setMode', { mode: 'monitor' });
    expect(monitor.mode).toBe('monitor');
    const changed = await call(station, 'control.setStrategies', {
      strategies: ['self-consumption', 'export-limit'],
    });
    expect(changed.config.strategies).toEqual(['self-consumption', 'export-limit']);
    expect(changed.history.slice(0, 2).map((h) => h.action)).toEqual([
      'set-strategies',
      'set-mode',
    ]);
    expect(
      await refusal(station, 'control.setStrategies', { strategies: ['make-money-fast'] }),
    ).toMatchObject({ code: 'bad_request' });
    expect(await refusal(station, 'control.setMode', { mode: 'manual' })).toMatchObject({
      code: 'bad_request',
    });
    const entries = await call(station, 'ledger.entries', { kind: 'control-action' });
    expect(entries.map((e) => (e.payload as { action: string }).action)).toEqual([
      'set-strategies',
      'set-mode',
    ]);
  }, 30_000);
});
