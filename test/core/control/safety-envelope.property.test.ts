// Property tests of the safety envelope (issue 7 "Done when"): random snapshots with NaN,
// ±Infinity, negative and huge values, stale points and offline devices, random valid
// configurations and random requests, over several consecutive cycles. The limits are
// recomputed here from the raw snapshot (an independent statement of the rules), and every
// write is checked against them: nothing outside the envelope, ever.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STRATEGY_NAMES,
  validateControlConfig,
  type ControlConfig,
} from '../../../core/control/control-config';
import { buildControlSnapshot } from '../../../core/control/control-snapshot';
import { controlCycle, initialControlState } from '../../../core/control/control-cycle';
import type { LastWrite, SetpointWrite } from '../../../core/control/envelope-types';
import { applyEnvelope } from '../../../core/control/safety-envelope';
import type { Setpoint } from '../../../core/control/setpoint-types';
import type { PointName } from '../../../core/points/point-names';
import type { DeviceState, Snapshot } from '../../../core/points/snapshot';
import { config as baseConfig, device, makeSite, makeSnapshot, T0, type Values } from './support';

const SITE = makeSite([
  device('grid', 'grid-meter'),
  device('b1', 'battery'),
  device('b2', 'battery'),
  device('p1', 'pv-inverter'),
  device('p2', 'pv-inverter'),
  device('l1', 'switchable-load', 'alice'),
  device('l2', 'switchable-load', 'clinic'),
]);
const IDS = SITE.devices.map((d) => d.id);
const POINTS: PointName[] = [
  'powerW',
  'socPct',
  'capacityWh',
  'ratedPowerW',
  'maxChargeW',
  'maxDischargeW',
  'powerLimitPct',
  'voltageV',
  'frequencyHz',
];

const weird = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Infinity, -Infinity, -0) },
  { weight: 1, arbitrary: fc.double({ min: -1e12, max: 1e12, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -20_000, max: 20_000 }) },
  { weight: 3, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) },
);

// Plausible telemetry most of the time, so ramps and limits are exercised, not only fallbacks.
const healthyBattery = fc.record({
  powerW: fc.integer({ min: -12_000, max: 12_000 }),
  socPct: fc.double({ min: 0, max: 100, noNaN: true }),
  ratedPowerW: fc.integer({ min: 0, max: 10_000 }),
  maxChargeW: fc.option(fc.integer({ min: 0, max: 10_000 })),
  maxDischargeW: fc.option(fc.integer({ min: 0, max: 10_000 })),
});
const randomPoints = fc.dictionary(fc.constantFrom(...POINTS), weird, { maxKeys: POINTS.length });
const batteryPoints = fc.oneof(
  { weight: 3, arbitrary: healthyBattery },
  { weight: 1, arbitrary: randomPoints },
);

const cycleArb = fc.record({
  dtMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 40_000 }),
    fc.integer({ min: 200, max: 2000 }),
  ),
  values: fc
    .record({
      b1: batteryPoints,
      b2: batteryPoints,
      rest: fc.dictionary(fc.constantFrom(...IDS), randomPoints),
    })
    .map(({ b1, b2, rest }) => ({ ...rest, b1, b2 })),
  stale: fc.array(
    fc.oneof(
      fc.constantFrom(...IDS),
      fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...POINTS)).map(([d, p]) => `${d}.${p}`),
    ),
    { maxLength: 6 },
  ),
  states: fc.dictionary(
    fc.constantFrom(...IDS),
    fc.constantFrom<DeviceState>('ok', 'ok', 'ok', 'degraded', 'offline', 'connecting', 'disabled'),
  ),
});

const setpointArb: fc.Arbitrary<Setpoint> = fc.oneof(
  fc.record({
    kind: fc.constant('battery' as const),
    deviceId: fc.constantFrom(...IDS, 'ghost'),
    powerW: weird.map((v) => v ?? 0),
  }),
  fc.record({
    kind: fc.constant('pv-limit' as const),
    deviceId: fc.constantFrom(...IDS, 'ghost'),
    limitPct: weird.map((v) => v ?? 0),
  }),
  fc.record({
    kind: fc.constant('load' as const),
    deviceId: fc.constantFrom(...IDS, 'ghost'),
    on: fc.boolean(),
  }),
);

const configArb: fc.Arbitrary<ControlConfig> = fc
  .record({
    minPct: fc.integer({ min: 0, max: 50 }),
    spanPct: fc.integer({ min: 1, max: 50 }),
    taperPct: fc.integer({ min: 0, max: 10 }),
    rampWPerS: fc.oneof(
      fc.integer({ min: 1, max: 20_000 }),
      fc.double({ min: 0.5, max: 1e6, noNaN: true }),
    ),
    minWriteIntervalMs: fc.integer({ min: 0, max: 10_000 }),
    setpointLifetimeS: fc.integer({ min: 1, max: 120 }),
    rewriteFraction: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    strategies: fc.shuffledSubarray([...STRATEGY_NAMES]),
  })
  .map((r): ControlConfig => ({
    ...baseConfig(),
    strategies: r.strategies,
    soc: {
      minPct: r.minPct,
      maxPct: Math.min(100, r.minPct + r.spanPct + 2 * r.taperPct),
      taperPct: r.taperPct,
    },
    rampWPerS: r.rampWPerS,
    minWriteIntervalMs: r.minWriteIntervalMs,
    setpointLifetimeS: r.setpointLifetimeS,
    rewriteFraction: r.rewriteFraction,
  }))
  .filter((c) => validateControlConfig(c).ok);

// ---- the oracle: limits restated from the raw snapshot -------------------------------

function fresh(snap: Snapshot, id: string, name: string): number | null {
  const r = snap.points[`${id}.${name}`];
  return r && !r.stale && typeof r.value === 'number' && Number.isFinite(r.value) ? r.value : null;
}
const nonNeg = (v: number | null) => (v !== null && v >= 0 ? v : null);
const online = (snap: Snapshot, id: string) =>
  ['ok', 'degraded'].includes(snap.devices[id]?.state ?? '');

function batteryCaps(snap: Snapshot, id: string, c: ControlConfig): { dis: number; chg: number } {
  const power = fresh(snap, id, 'powerW');
  const soc = fresh(snap, id, 'socPct');
  if (power === null || soc === null || soc < 0 || soc > 100) return { dis: 0, chg: 0 };
  const rated = nonNeg(fresh(snap, id, 'ratedPowerW'));
  const smallest = (a: number | null, b: number | null) =>
    a === null ? (b ?? 0) : b === null ? a : Math.min(a, b);
  let dis = smallest(rated, nonNeg(fresh(snap, id, 'maxDischargeW')));
  let chg = smallest(rated, nonNeg(fresh(snap, id, 'maxChargeW')));
  const { minPct, maxPct, taperPct } = c.soc;
  if (soc <= minPct) dis = 0;
  else if (taperPct > 0 && soc < minPct + taperPct) dis *= (soc - minPct) / taperPct;
  if (soc >= maxPct) chg = 0;
  else if (taperPct > 0 && soc > maxPct - taperPct) chg *= (maxPct - soc) / taperPct;
  return { dis: Math.floor(dis), chg: Math.floor(chg) };
}

function checkWrites(
  snap: Snapshot,
  c: ControlConfig,
  before: Record<string, LastWrite>,
  writes: readonly SetpointWrite[],
  gridForming: boolean,
): void {
  const nowMs = snap.tsMs;
  const live = (id: string) => {
    const w = before[id];
    return w && nowMs < w.writtenMs + w.revertSeconds * 1000 ? w : undefined;
  };
  const seen = new Set<string>();
  for (const write of writes) {
    const { deviceId, setpoint } = write;
    expect(seen.has(deviceId), `one write per device per cycle: ${deviceId}`).toBe(false);
    seen.add(deviceId);
    const role = SITE.devices.find((d) => d.id === deviceId)?.role;
    expect(online(snap, deviceId), `write to offline ${deviceId}`).toBe(true);
    expect(write.revertSeconds).toBe(c.setpointLifetimeS);
    expect(write.rewriteDueMs).toBeGreaterThan(nowMs);
    expect(write.rewriteDueMs).toBeLessThan(nowMs + c.setpointLifetimeS * 1000);
    const last = live(deviceId);
    const insideInterval = last !== undefined && nowMs - last.writtenMs < c.minWriteIntervalMs;
    if (setpoint.kind === 'battery') {
      expect(role).toBe('battery');
      expect(gridForming).toBe(false);
      const { dis, chg } = batteryCaps(snap, deviceId, c);
      const w = setpoint.powerW;
      expect(Number.isInteger(w)).toBe(true);
      expect(w).toBeLessThanOrEqual(dis);
      expect(w).toBeGreaterThanOrEqual(-chg);
      if (fresh(snap, deviceId, 'powerW') === null || fresh(snap, deviceId, 'socPct') === null) {
        expect(w).toBe(0);
      }
      const lastW = last?.setpoint.kind === 'battery' ? last.setpoint.powerW : null;
      if (lastW === null) {
        // First write (or after expiry): ramped from the measured power over one cycle.
        const measured = fresh(snap, deviceId, 'powerW');
        const refW = measured === null ? 0 : Math.round(measured);
        const stepW = Math.floor((c.rampWPerS * c.cycleMs) / 1000);
        if (Math.abs(w - refW) > stepW) {
          expect(Math.abs(w)).toBeLessThan(Math.abs(refW));
          expect([dis, -chg, 0]).toContain(w);
        }
      }
      if (insideInterval) {
        // Only a setpoint that now breaks the envelope may be rewritten inside the interval.
        expect(lastW !== null && (lastW > dis || lastW < -chg)).toBe(true);
      }
      if (lastW !== null) {
        const stepW = Math.floor((c.rampWPerS * (nowMs - last!.writtenMs)) / 1000);
        if (Math.abs(w - lastW) > stepW) {
          // Faster than the ramp only toward zero, and only down to a hard limit.
          expect(Math.abs(w)).toBeLessThan(Math.abs(lastW));
          expect([dis, -chg, 0]).toContain(w);
        }
      }
    } else if (setpoint.kind === 'pv-limit') {
      expect(role).toBe('pv-inverter');
      expect(setpoint.limitPct).toBeGreaterThanOrEqual(0);
      expect(setpoint.limitPct).toBeLessThanOrEqual(100);
      expect(insideInterval).toBe(false);
      const power = fresh(snap, deviceId, 'powerW');
      if (power === null || power < 0) {
        expect(last?.setpoint.kind).toBe('pv-limit');
        if (last?.setpoint.kind === 'pv-limit') {
          expect(setpoint.limitPct).toBeLessThanOrEqual(last.setpoint.limitPct);
        }
      }
    } else {
      expect(role).toBe('switchable-load');
      if (setpoint.on) {
        expect(insideInterval).toBe(false);
        if (fresh(snap, deviceId, 'powerW') === null) {
          expect(last?.setpoint).toMatchObject({ kind: 'load', on: true });
        }
      }
    }
  }
}

const uniqueRequests = fc.uniqueArray(setpointArb, { maxLength: 9, selector: (s) => s.deviceId });

describe('safety envelope properties', () => {
  it('never writes outside the limits, to an offline device, or faster than the ramp allows', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(fc.tuple(cycleArb, uniqueRequests, fc.boolean()), { minLength: 1, maxLength: 6 }),
        (c, cycles) => {
          let nowMs = T0;
          let lastWrites: Record<string, LastWrite> = {};
          for (const [cycle, requests, gridForming] of cycles) {
            nowMs += cycle.dtMs;
            const snap = makeSnapshot(SITE, nowMs, cycle.values as Values, cycle);
            const view = buildControlSnapshot(snap, SITE, nowMs);
            const result = applyEnvelope(view, c, lastWrites, requests, {
              batteryGridForming: gridForming,
            });
            checkWrites(snap, c, lastWrites, result.writes, gridForming);
            // Every request gets a decision; stale batteries are at 0 W after the cycle.
            expect(result.decisions.length).toBeGreaterThanOrEqual(requests.length);
            lastWrites = result.lastWrites;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds for whole control cycles too (strategies, island machine, operator requests)', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(fc.tuple(cycleArb, uniqueRequests), { minLength: 1, maxLength: 6 }),
        (c, cycles) => {
          let nowMs = T0;
          let state = initialControlState();
          for (const [cycle, operatorRequests] of cycles) {
            nowMs += cycle.dtMs;
            const snap = makeSnapshot(SITE, nowMs, cycle.values as Values, cycle);
            const result = controlCycle(snap, SITE, c, state, {
              operatorRequests,
              localMinuteOfDay: 120,
            });
            checkWrites(
              snap,
              c,
              { ...state.lastWrites },
              result.writes,
              result.batteryMode === 'grid-forming',
            );
            state = result.nextState;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
