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

  it('previews an operator setpoint against the envelope, applies it for a while and records it', async () => {
    const site = await call(station, 'site.get', {});
    const battery = site.devices.find((d) => d.role === 'battery')!;
    const huge = { kind: 'battery' as const, deviceId: battery.id, powerW: 5_000_000 };
    const preview = await call(station, 'control.preview', { setpoint: huge });
    expect(preview.decision?.requested).toEqual(huge);
    // Far beyond the nameplate: the envelope lets through at most the discharge limit.
    expect(preview.decision?.applied?.kind).toBe('battery');
    const applied = preview.decision!.applied as { powerW: number };
    expect(applied.powerW).toBeLessThanOrEqual(preview.decision!.limits!.maxDischargeW);
    expect(preview.decision!.reasons.length).toBeGreaterThan(0);

    const view = await call(station, 'control.command', {
      setpoint: { kind: 'battery', deviceId: battery.id, powerW: 1000 },
      durationS: 60,
    });
    expect(view.operator).toEqual([
      {
        setpoint: { kind: 'battery', deviceId: battery.id, powerW: 1000 },
        untilMs: expect.any(Number),
      },
    ]);
    expect(view.history[0]).toMatchObject({ action: 'setpoint', target: battery.id });
    expect(
      await refusal(station, 'control.command', {
        setpoint: { kind: 'pv-limit', deviceId: 'pv-01', limitPct: 140 },
        durationS: 60,
      }),
    ).toMatchObject({ code: 'bad_request' });
    expect(
      await refusal(station, 'control.command', {
        setpoint: { kind: 'load', deviceId: 'no-such-device', on: false },
        durationS: 60,
      }),
    ).toMatchObject({ code: 'not_found' });
    const released = await call(station, 'control.release', { deviceId: battery.id });
    expect(released.operator).toEqual([]);
    const actions = (await call(station, 'ledger.entries', { kind: 'control-action' })).map(
      (e) => (e.payload as { action: string }).action,
    );
    expect(actions.slice(0, 2)).toEqual(['release', 'setpoint']);
  }, 30_000);
});
