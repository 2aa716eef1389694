import { describe, expect, it } from 'vitest';
import { AlarmEngine, type AlarmRule, type Condition } from '../../../core/alarms/alarm-engine';

const rule: AlarmRule = {
  kind: 'device-offline',
  severity: 'major',
  raiseDelayMs: 10_000,
  clearDelayMs: 5_000,
};
const cond = (active: boolean, message = 'pv-03 does not answer'): Condition => ({
  key: 'device-offline:pv-03',
  rule,
  active,
  message,
  source: 'pv-03',
});

describe('alarm engine', () => {
  it('raises only after the raise delay and clears only after the clear delay', () => {
    const engine = new AlarmEngine();
    expect(engine.evaluate([cond(true)], 0)).toEqual([]);
    expect(engine.evaluate([cond(true)], 9_999)).toEqual([]);
    const [raised] = engine.evaluate([cond(true)], 10_000);
    expect(raised).toMatchObject({
      type: 'raised',
      alarm: { id: 1, severity: 'major', raisedAtMs: 10_000 },
    });
    expect(engine.count()).toBe(1);
    // A blip shorter than the clear delay does not clear it.
    expect(engine.evaluate([cond(false)], 11_000)).toEqual([]);
    expect(engine.evaluate([cond(true)], 12_000)).toEqual([]);
    expect(engine.evaluate([cond(false)], 13_000)).toEqual([]);
    const [cleared] = engine.evaluate([cond(false)], 18_000);
    expect(cleared).toMatchObject({ type: 'cleared', alarm: { clearedAtMs: 18_000 } });
    // Cleared but not acknowledged: still listed until someone acknowledges it.
    expect(engine.count()).toBe(1);
    expect(engine.acknowledge(1, 'operator', 19_000)).toMatchObject({
      ackedBy: 'operator',
      ackedAtMs: 19_000,
    });
    expect(engine.count()).toBe(0);
  });

  it('a flapping condition shorter than the raise delay never raises', () => {
    const engine = new AlarmEngine();
    for (let t = 0; t < 60_000; t += 1_000)
      expect(engine.evaluate([cond(t % 8_000 < 5_000)], t)).toEqual([]);
  });

  it('keeps an acknowledged active alarm until it clears, and updates its message', () => {
    const engine = new AlarmEngine();
    engine.evaluate([cond(true)], 0);
    engine.evaluate([cond(true)], 10_000);
    engine.acknowledge(1, 'operator', 11_000);
    expect(engine.acknowledge(1, 'someone else', 11_500)).toBeNull(); // only once
    expect(engine.evaluate([cond(true, 'pv-03: timeout')], 12_000)).toMatchObject([
      { type: 'updated', alarm: { message: 'pv-03: timeout' } },
    ]);
    expect(engine.count()).toBe(1);
    engine.evaluate([cond(false)], 13_000);
    expect(engine.evaluate([cond(false)], 18_000)).toMatchObject([{ type: 'cleared' }]);
    expect(engine.count()).toBe(0); // acknowledged and cleared: gone from the list
  });

  it('uses hysteresis for levels and clears alarms whose source disappeared', () => {
    const engine = new AlarmEngine();
    const limit = {
      kind: 'import-over-limit',
      severity: 'major' as const,
      raiseDelayMs: 0,
      clearDelayMs: 0,
    };
    const level = (value: number) =>
      engine.level({
        key: 'import',
        rule: limit,
        value,
        raiseAt: 60_001,
        clearBelow: 57_000,
        message: 'm',
        source: 'grid',
      });
    expect(level(59_000).active).toBe(false);
    expect(level(61_000).active).toBe(true);
    expect(level(58_000).active).toBe(true); // inside the band: still present
    expect(level(56_999).active).toBe(false);
    expect(level(59_000).active).toBe(false); // below raiseAt again: stays clear

    engine.evaluate([cond(true)], 0);
    engine.evaluate([cond(true)], 10_000);
    expect(engine.evaluate([], 11_000)).toMatchObject([{ type: 'cleared' }]);
  });

  it('lists the most severe first and restores open alarms after a restart', () => {
    const engine = new AlarmEngine();
    const info = {
      ...cond(true),
      key: 'a',
      rule: { ...rule, severity: 'info' as const, raiseDelayMs: 0 },
    };
    const critical = {
      ...cond(true),
      key: 'b',
      rule: { ...rule, severity: 'critical' as const, raiseDelayMs: 0 },
    };
    engine.evaluate([info, critical], 0);
    expect(engine.list().map((a) => a.key)).toEqual(['b', 'a']);
    const restored = new AlarmEngine(engine.list(), 3);
    expect(restored.count()).toBe(2);
    expect(restored.evaluate([info, critical], 1_000)).toEqual([]); // not raised twice
    const [raised] = restored.evaluate(
      [{ ...cond(true), key: 'c', rule: { ...rule, raiseDelayMs: 0 } }, info, critical],
      2_000,
    );
    expect(raised?.alarm.id).toBe(3);
  });
});
