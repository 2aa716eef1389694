// The SunSpec read plan from a map alone: which registers a role needs, in which class,
// and how the points decode from block words.
import { describe, expect, it } from 'vitest';
import { BlockValues } from '../../../drivers/modbus/block-values';
import { planReads } from '../../../drivers/modbus/poll-planner';
import { SUNSPEC_CANONICAL_MAP } from '../../../drivers/devices/sunspec-canonical-map';
import { SUNSPEC_POLL_CLASSES } from '../../../drivers/devices/sunspec-poll-classes';
import { canonicalValues, checkHeaders } from '../../../drivers/devices/sunspec-point-values';
import { buildReadPlan } from '../../../drivers/devices/sunspec-read-plan';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { meterImage, pvImage } from './support/sunspec-sim';

const mapOf = (image: ReturnType<typeof pvImage>) => ({
  baseAddress: image.baseAddress,
  models: image.models,
});

/** Block values as the device would return them for every planned read. */
function readAll(image: ReturnType<typeof pvImage>, plan: ReturnType<typeof buildReadPlan>) {
  const values = new BlockValues();
  for (const read of planReads(plan.ranges, { maxGapRegs: 125 }).reads) {
    const words = image.readRegisters(read.address, read.count);
    if (!words.ok) throw new Error(words.error.message);
    values.set(3, read.address, words.value);
  }
  return values;
}

describe('buildReadPlan', () => {
  it('needs only the points, their scale factors, headers and identity, classed', () => {
    const image = pvImage();
    const plan = buildReadPlan(
      mapOf(image),
      SUNSPEC_CANONICAL_MAP['pv-inverter'],
      SUNSPEC_POLL_CLASSES,
    );
    const at = (address: number) => plan.ranges.find((r) => r.address === address);
    // Model 103 body at 40072: W@12, W_SF@13, WH@22 (2 regs, slow), WH_SF@24.
    expect(at(40072 + 12)).toMatchObject({ count: 1, pollClass: 'fast' });
    expect(at(40072 + 13)).toMatchObject({ count: 1, pollClass: 'fast' });
    expect(at(40072 + 22)).toMatchObject({ count: 2, pollClass: 'slow' });
    expect(at(40072 + 24)).toMatchObject({ pollClass: 'slow' });
    // Headers: 103 and 123 fast (their points are), 1 and 120 slow.
    expect(plan.headers.map((h) => [h.entry.id, h.range.pollClass])).toEqual([
      [103, 'fast'],
      [120, 'slow'],
      [123, 'fast'],
      [1, 'slow'],
    ]);
    const fast = plan.ranges.filter((r) => r.pollClass === 'fast');
    expect(Math.min(...fast.map((r) => r.address))).toBe(40070);
    expect(Math.max(...fast.map((r) => r.address + r.count))).toBe(40174);
    const registers = plan.ranges.reduce((n, r) => n + r.count, 0);
    expect(registers).toBeLessThan(80); // of 170 registers in the models it touches
  });

  it('decodes scaled values from block words, falling back in source order', () => {
    const image = pvImage();
    const plan = buildReadPlan(
      mapOf(image),
      SUNSPEC_CANONICAL_MAP['pv-inverter'],
      SUNSPEC_POLL_CLASSES,
    );
    expect(canonicalValues(plan, readAll(image, plan))).toEqual({
      powerW: 4321,
      energyProducedWh: 123_456,
      voltageV: 230.5,
      frequencyHz: 50.01,
      ratedPowerW: 5000,
      powerLimitPct: 100,
    });
    const battery = buildSunspecImage({
      models: [
        { id: 103, values: { points: { W: -2000, Hz: 50 } } },
        {
          id: 124,
          values: { points: { ChaState: 55.5, WChaMax: 3000 } },
          scaleFactors: { ChaState_SF: -1 },
        },
        { id: 802, values: { points: { SoC: null, WChaRteMax: 4000 } } },
      ],
    });
    const batteryPlan = buildReadPlan(
      mapOf(battery),
      SUNSPEC_CANONICAL_MAP.battery,
      SUNSPEC_POLL_CLASSES,
    );
    // 802 lacks SoC (not implemented): model 124's ChaState stands in; 802's rate wins.
    expect(canonicalValues(batteryPlan, readAll(battery, batteryPlan))).toMatchObject({
      powerW: -2000,
      socPct: 55.5,
      maxChargeW: 4000,
      capacityWh: null,
    });
  });

  it('reads a point past a short model L as null without asking for it', () => {
    const image = buildSunspecImage({
      models: [{ id: 203, body: shortMeterBody() }],
    });
    const plan = buildReadPlan(
      mapOf(image),
      SUNSPEC_CANONICAL_MAP['grid-meter'],
      SUNSPEC_POLL_CLASSES,
    );
    expect(plan.ranges.every((r) => r.address + r.count <= 40004 + 40)).toBe(true);
    expect(canonicalValues(plan, readAll(image, plan))).toMatchObject({
      powerW: 1234,
      energyImportWh: null,
      energyExportWh: null,
    });
  });

  it('finds a changed header among the words a cycle read', () => {
    const image = meterImage();
    const plan = buildReadPlan(
      mapOf(image),
      SUNSPEC_CANONICAL_MAP['grid-meter'],
      SUNSPEC_POLL_CLASSES,
    );
    const values = readAll(image, plan);
    expect(checkHeaders(plan, values, []).ok).toBe(true);
    values.set(3, 40070, [120, 26]);
    expect(checkHeaders(plan, values, [])).toMatchObject({
      ok: false,
      error: { code: 'stale_map' },
    });
    const none = new BlockValues();
    expect(checkHeaders(plan, none, []).ok).toBe(true); // nothing read: nothing to check
    expect(checkHeaders(plan, none, [plan.headers[0]!.range]).ok).toBe(false);
  });
});

/** Model 203 cut to 40 registers (W at 16, W_SF at 20; the energy counters at 36+ fall outside). */
function shortMeterBody(): number[] {
  const body = new Array<number>(40).fill(0);
  body[16] = 1234;
  return body;
}
