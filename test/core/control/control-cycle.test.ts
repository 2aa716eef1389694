// The whole cycle with the default configuration: strategies, composition, envelope, state.
import { describe, expect, it } from 'vitest';
import { controlCycle, initialControlState } from '../../../core/control/control-cycle';
import { batteryAt, config, gridAt, makeSnapshot, SITE, T0 } from './support';

describe('controlCycle', () => {
  it('surplus of 4000 W: −2000 W in the first second (ramp 2000 W/s), −4000 W in the next', () => {
    const first = controlCycle(
      makeSnapshot(SITE, T0, {
        grid: gridAt(-4000),
        bat1: batteryAt(0, 50),
        pv1: { powerW: 6000 },
      }),
      SITE,
      config(),
      initialControlState(),
    );
    expect(first.writes).toEqual([
      {
        deviceId: 'bat1',
        setpoint: { kind: 'battery', deviceId: 'bat1', powerW: -2000 },
        revertSeconds: 30,
        rewriteDueMs: T0 + 15_000,
      },
    ]);
    expect(first.decisions[0]).toMatchObject({
      requestedBy: 'self-consumption',
      reasons: ['ramp'],
    });
    expect(first.batteryMode).toBe('grid-following');
    const second = controlCycle(
      makeSnapshot(SITE, T0 + 1000, {
        grid: gridAt(-2000),
        bat1: batteryAt(-2000, 50),
        pv1: { powerW: 6000 },
      }),
      SITE,
      config(),
      first.nextState,
    );
    expect(second.writes.map((w) => w.setpoint)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -4000 },
    ]);
    expect(second.nextState.lastWrites.bat1?.writtenMs).toBe(T0 + 1000);
  });

  it('records that the outage reserve narrowed a manual 1500 W discharge at SoC 20 %', () => {
    const result = controlCycle(
      makeSnapshot(SITE, T0, { grid: gridAt(1500), bat1: batteryAt(0, 20), pv1: { powerW: 0 } }),
      SITE,
      config(),
      initialControlState(),
      { operatorRequests: [{ kind: 'battery', deviceId: 'bat1', powerW: 1500 }] },
    );
    expect(result.decisions[0]).toMatchObject({
      requestedBy: 'operator',
      narrowedBy: ['outage-reserve'],
      applied: { kind: 'battery', deviceId: 'bat1', powerW: 0 },
      written: true,
    });
  });

  it('follows a market position of 500 Wh sold in 15 min (2000 W) before self-consumption', () => {
    const c = config({ strategies: ['market-following', 'self-consumption'], rampWPerS: 10_000 });
    const result = controlCycle(
      makeSnapshot(SITE, T0, { grid: gridAt(0), bat1: batteryAt(0, 50), pv1: { powerW: 0 } }),
      SITE,
      c,
      initialControlState(),
      { marketPosition: { startMs: T0, endMs: T0 + 900_000, netWh: 500 } },
    );
    expect(result.writes.map((w) => w.setpoint)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 2000 },
    ]);
    expect(result.decisions[0]?.requestedBy).toBe('market-following');
  });

  it('returns a frozen control snapshot', () => {
    const result = controlCycle(
      makeSnapshot(SITE, T0, { grid: gridAt(0), bat1: batteryAt(0, 50) }),
      SITE,
      config(),
      initialControlState(),
    );
    expect(Object.isFrozen(result.snapshot)).toBe(true);
    expect(Object.isFrozen(result.snapshot.devices[0])).toBe(true);
  });
});
