import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MIN_MS, SUMMER_MS, makeDemo } from './demo-fixture';
import type { DemoState } from '../../../../drivers/sim/demo/demo-state';

function run(seed: number, weather: 'clear' | 'cloudy' = 'cloudy'): DemoState[] {
  const model = makeDemo({ seed, weather, startSimMs: SUMMER_MS + 6 * HOUR_MS });
  const states: DemoState[] = [];
  for (let i = 1; i <= 120; i++) states.push(model.step(SUMMER_MS + 6 * HOUR_MS + i * MIN_MS));
  return states;
}

describe('demo physics: determinism', () => {
  it('replays the same states for the same seed', () => {
    expect(run(1234)).toEqual(run(1234));
  });

  it('gives different households, clouds and grid noise for a different seed', () => {
    const a = run(1);
    const b = run(2);
    const loads = (s: DemoState[]): number[] =>
      s.map((x) => x.households['meter-05']?.loadW ?? NaN);
    expect(loads(a)).not.toEqual(loads(b));
    const differing = a.filter(
      (x, i) => x.households['meter-05']?.loadW !== b[i]?.households['meter-05']?.loadW,
    );
    expect(differing.length).toBeGreaterThan(100);
    expect(a.map((x) => x.environment.cloudCoverPct)).not.toEqual(
      b.map((x) => x.environment.cloudCoverPct),
    );
    expect(a.map((x) => x.grid.voltageV)).not.toEqual(b.map((x) => x.grid.voltageV));
  });

  it('gives each household its own load curve', () => {
    const s = run(9);
    const curve = (id: string): number[] => s.map((x) => x.households[id]?.loadW ?? NaN);
    expect(curve('meter-01')).not.toEqual(curve('meter-02'));
  });
});

describe('demo physics: step size does not change the physics', () => {
  it('one 6 h step ends in exactly the state of 21 600 one-second steps', () => {
    const start = SUMMER_MS + 6 * HOUR_MS;
    const big = makeDemo({ startSimMs: start, weather: 'cloudy' });
    const small = makeDemo({ startSimMs: start, weather: 'cloudy' });
    for (let t = start + 1000; t < start + 6 * HOUR_MS; t += 1000) small.step(t);
    const expected = small.step(start + 6 * HOUR_MS);
    expect(big.step(start + 6 * HOUR_MS)).toEqual(expected);
    expect(expected.battery.energyChargedWh).toBeGreaterThan(20_000); // the battery did work meanwhile
  });

  it('any partition of a morning into steps, with commands at the same instants, ends in the same state', () => {
    // Morning to afternoon: the battery charges, fills and clouds pass in this window.
    const start = SUMMER_MS + 6 * HOUR_MS;
    const horizonMs = 6 * HOUR_MS;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: horizonMs - 1 }), { maxLength: 40 }),
        fc.array(
          fc.record({
            atMs: fc.integer({ min: 0, max: horizonMs - 1 }),
            powerW: fc.integer({ min: -80_000, max: 80_000 }),
            outage: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
        (cuts, commands) => {
          // Commands happen at their instant in both runs; the partitioned run also stops at
          // every cut in between.
          const events = [...new Set([...commands.map((c) => c.atMs)])].sort((x, y) => x - y);
          const apply = (model: ReturnType<typeof makeDemo>, atMs: number): void => {
            for (const c of commands.filter((x) => x.atMs === atMs)) {
              model.setBatterySetpoint(c.powerW, { revertAfterMs: HOUR_MS });
              model.setOutage(c.outage);
            }
          };
          const coarse = makeDemo({ startSimMs: start });
          for (const e of events) {
            coarse.step(start + e);
            apply(coarse, e);
          }
          const fine = makeDemo({ startSimMs: start });
          const stops = [...new Set([...cuts, ...events])].sort((x, y) => x - y);
          for (const stop of stops) {
            fine.step(start + stop);
            if (events.includes(stop)) apply(fine, stop);
          }
          expect(fine.step(start + horizonMs)).toEqual(coarse.step(start + horizonMs));
        },
      ),
      { numRuns: 15 },
    );
  });
});
