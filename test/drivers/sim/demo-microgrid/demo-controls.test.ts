// The station's control writes reach the demo physics over real Modbus TCP on loopback,
// with the simulator on a manual clock: PV power limits (model 123) and storage controls
// (model 124) act and revert in simulated time, out-of-range values are refused with
// exception 03 and leave the registers alone, and every write is recorded with its time.
import { describe, expect, it } from 'vitest';
import { powerLimitCommand, storageCommand } from '../../../../drivers/sunspec/control-commands';
import type { ControlCommand } from '../../../../drivers/sunspec/control-writes';
import type { SunspecPoller } from '../../../../drivers/devices/sunspec-poller';
import { pointAddress, startLockstep } from './support/lockstep-demo';

const NOON_MS = Date.UTC(2025, 5, 21, 11); // 13:00 in Berlin, midsummer
const NIGHT_MS = Date.UTC(2025, 5, 21, 21); // 23:00 in Berlin
const WMAXLIMPCT = 3; // offsets in model 123
const WMAXLIM_ENA = 7;
const WCHAMAX = 0; // offsets in model 124
const STORCTL_MOD = 3;

function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The station's write path: queued, then sent in the device's next poll, read back. */
async function control(poller: SunspecPoller, command: ControlCommand) {
  const pending = poller.control(command);
  await poller.poll();
  return ok(await pending);
}

describe('demo PV inverter under model 123', () => {
  it('caps output at WMaxLimPct of its rating until the revert timer runs out in simulated time', async () => {
    const { demo, sunspec } = await startLockstep(NOON_MS);
    const recorder = demo.startRecording();
    const pv = await sunspec('pv-01');
    const free = demo.step(1000).pv['pv-01']!;
    expect(free.powerW).toBeGreaterThan(5000);

    const map = pv.sunspecMap()!;
    const done = await control(pv, ok(powerLimitCommand(map, { limitPct: 25, revertAfterS: 60 })));
    expect(done.points.every((p) => p.verified)).toBe(true);
    const writtenAtMs = demo.simNowMs;
    let s = demo.step(1000);
    expect(s.pv['pv-01']).toMatchObject({ powerW: 2000, limitPct: 25 }); // 25 % of 8000 W
    expect(s.curtailedPvW).toBeGreaterThan(3000);
    const reading = await pv.poll();
    expect(reading?.values).toMatchObject({ powerW: 2000, powerLimitPct: 25 });
    expect(demo.devices.get('pv-01')!.image.getPoint(103, 'St')).toBe(5); // THROTTLED

    s = demo.advanceTo(writtenAtMs + 59_999);
    expect(s.pv['pv-01']!.powerW).toBe(2000);
    s = demo.advanceTo(writtenAtMs + 60_000);
    expect(s.pv['pv-01']!.limitPct).toBeNull();
    expect(s.pv['pv-01']!.powerW).toBeGreaterThan(5000);
    // The device shows it dropped the limit: Ena back to DISABLED, the value as written.
    const image = demo.devices.get('pv-01')!.image;
    expect(image.getPoint(123, 'WMaxLim_Ena')).toBe(0);
    expect(image.getPoint(123, 'WMaxLimPct')).toBe(25);

    expect(recorder.writes.map((w) => [w.deviceId, w.target, w.simMs, w.accepted])).toEqual([
      ['pv-01', 'sunspec:123', writtenAtMs, true],
      ['pv-01', 'sunspec:123', writtenAtMs, true],
    ]);
    expect(recorder.writes[0]!.values).toEqual({
      WMaxLimPct: 25,
      WMaxLimPct_WinTms: 0,
      WMaxLimPct_RvrtTms: 60,
    });
    expect(recorder.writes[1]!.values).toEqual({ WMaxLim_Ena: 1 });
    expect(recorder.summary()).toMatchObject({ envelopeViolations: 0, writesWithoutRevert: 0 });
  });

  it('drops the limit at once when WMaxLim_Ena is written DISABLED', async () => {
    const { demo, sunspec } = await startLockstep(NOON_MS);
    const pv = await sunspec('pv-02');
    await control(pv, ok(powerLimitCommand(pv.sunspecMap()!, { limitPct: 10, revertAfterS: 600 })));
    expect(demo.step(1000).pv['pv-02']!.powerW).toBe(700);
    await control(pv, { modelId: 123, writes: [{ point: 'WMaxLim_Ena', value: 0 }] });
    expect(demo.step(1000).pv['pv-02']!.powerW).toBeGreaterThan(4000);
  });
});

describe('demo battery under model 124', () => {
  it('follows a storage setpoint, then reverts to self-consumption when the timer runs out', async () => {
    const { demo, sunspec } = await startLockstep(NIGHT_MS);
    const battery = await sunspec('community-battery');
    expect(demo.step(1000).battery).toMatchObject({ mode: 'self-consumption' });
    expect(demo.state().battery.powerW).toBeGreaterThan(0); // night: covering the load

    // Both bits with OutWRte = −InWRte: hold exactly 20 % of WChaMax (50 kW) charging.
    const command = storageCommand({
      limitCharge: true,
      limitDischarge: true,
      chargeRatePct: 20,
      dischargeRatePct: -20,
      revertAfterS: 30,
    });
    await control(battery, ok(command));
    const writtenAtMs = demo.simNowMs;
    let s = demo.step(1000);
    expect(s.battery).toMatchObject({ mode: 'setpoint', powerW: -10_000, setpointW: -10_000 });
    const image = demo.devices.get('community-battery')!.image;
    expect(image.getPoint(124, 'StorCtl_Mod')).toBe(3);
    expect(image.getPoint(124, 'InWRte')).toBe(20);
    expect(image.getPoint(124, 'OutWRte')).toBe(-20);

    s = demo.advanceTo(writtenAtMs + 29_999);
    expect(s.battery.powerW).toBe(-10_000);
    s = demo.advanceTo(writtenAtMs + 30_000);
    expect(s.battery.mode).toBe('self-consumption');
    expect(s.battery.powerW).toBeGreaterThan(0);
    expect(image.getPoint(124, 'StorCtl_Mod')).toBe(0);
  });

  it("follows the station's battery setpoint path (SunspecPoller.apply) to 0.1 % of WChaMax", async () => {
    const { demo, sunspec } = await startLockstep(NIGHT_MS);
    const battery = await sunspec('community-battery');
    const pending = battery.apply({ kind: 'battery', powerW: 6170, revertSeconds: 30 });
    await battery.poll();
    expect((await pending).ok).toBe(true);
    // 6170 W of 50 kW is 12.34 %, written as 12.3 %: OutWRte = −InWRte holds 6150 W.
    expect(demo.step(1000).battery).toMatchObject({ mode: 'setpoint', powerW: 6150 });
  });

  it('keeps a written WChaMax and MinRsvPct, and caps charging at WChaMax', async () => {
    const { demo, sunspec } = await startLockstep(NIGHT_MS);
    const battery = await sunspec('community-battery');
    await control(
      battery,
      ok(
        storageCommand({
          maxChargeW: 8000,
          minReservePct: 30,
          limitCharge: true,
          limitDischarge: true,
          chargeRatePct: 100,
          dischargeRatePct: -100,
          revertAfterS: 60,
        }),
      ),
    );
    const s = demo.step(1000);
    expect(s.battery).toMatchObject({ powerW: -8000, chargeCapW: 8000, reservePct: 30 });
    const reading = await battery.poll();
    expect(reading).not.toBeNull();
    const image = demo.devices.get('community-battery')!.image;
    expect([image.getPoint(124, 'WChaMax'), image.getPoint(124, 'MinRsvPct')]).toEqual([8000, 30]);
  });
});

describe('writes outside what the device accepts', () => {
  it('answer exception 03, change nothing and count as envelope violations', async () => {
    const { demo, raw } = await startLockstep(NOON_MS);
    const recorder = demo.startRecording();
    const pv = await raw('pv-01');
    const limitAt = pointAddress(demo, 'pv-01', 123, WMAXLIMPCT);
    await expect(pv.writeRegisters(limitAt, [150])).rejects.toMatchObject({ modbusCode: 3 });
    await expect(pv.writeRegisters(limitAt + WMAXLIM_ENA - WMAXLIMPCT, [7])).rejects.toMatchObject({
      modbusCode: 3,
    });
    const read = await pv.readHoldingRegisters(limitAt, 5);
    expect(read.data).toEqual([100, 0, 0, 0, 0]);

    const battery = await raw('community-battery');
    const wChaMaxAt = pointAddress(demo, 'community-battery', 124, WCHAMAX);
    // WChaMax_SF is 1 for the 50 kW inverter: 6000 means 60 kW, above its nameplate.
    await expect(battery.writeRegisters(wChaMaxAt, [6000])).rejects.toMatchObject({
      modbusCode: 3,
    });
    const modAt = pointAddress(demo, 'community-battery', 124, STORCTL_MOD);
    await expect(battery.writeRegisters(modAt, [4])).rejects.toMatchObject({ modbusCode: 3 });
    expect((await battery.readHoldingRegisters(wChaMaxAt, 4)).data).toEqual([5000, 100, 100, 0]);
    expect(demo.step(1000).pv['pv-01']!.limitPct).toBeNull();

    const summary = recorder.summary();
    expect(summary).toMatchObject({ writesReceived: 4, writesRefused: 4, envelopeViolations: 4 });
    expect(recorder.writes.map((w) => w.violation)).toEqual([
      'WMaxLimPct 150 % is outside 0–100 %',
      expect.stringContaining('is not a value of WMaxLim_Ena'),
      'WChaMax 60000 W is outside 0–50000 W (nameplate)',
      'StorCtl_Mod 4 sets bits other than CHARGE (0) and DiSCHARGE (1)',
    ]);
  });

  it('flags a control enabled without a revert timer', async () => {
    const { demo, raw } = await startLockstep(NOON_MS);
    const recorder = demo.startRecording();
    const pv = await raw('pv-03');
    const limitAt = pointAddress(demo, 'pv-03', 123, WMAXLIMPCT);
    await pv.writeRegisters(limitAt, [50, 0, 0, 0, 1]); // RvrtTms 0: never reverts
    expect(demo.advanceTo(NOON_MS + 3_600_000).pv['pv-03']).toMatchObject({
      powerW: 3000,
      limitPct: 50,
      limitRevertAtMs: null,
    });
    expect(recorder.summary()).toMatchObject({ writesWithoutRevert: 1, envelopeViolations: 0 });
  });
});
