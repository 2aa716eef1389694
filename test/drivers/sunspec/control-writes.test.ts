// SunSpec control writes through the poller's write queue, against SunSpec images behind
// the Modbus TCP simulator on loopback: values land scaled, revert timers are written,
// refusals send nothing, and the write phase re-checks the map and scale factors.
import { describe, expect, it } from 'vitest';
import {
  activePowerCommand,
  powerLimitCommand,
  storageCommand,
} from '../../../drivers/sunspec/control-commands';
import type { ControlCommand } from '../../../drivers/sunspec/control-writes';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { meterImage, pollerFor, pvImage, simUnit } from '../devices/support/sunspec-sim';

const WMAXLIMPCT_123 = 40152 + 3; // model 123 body at 40152

async function discovered(
  unit: ReturnType<typeof simUnit>,
  role: 'pv-inverter' | 'battery' = 'pv-inverter',
) {
  const sim = await pollerFor(unit, role);
  expect(await sim.poller.poll()).not.toBeNull();
  return sim;
}

function command(result: ReturnType<typeof powerLimitCommand>): ControlCommand {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('power limit through model 123', () => {
  it('writes the scaled value and its timers before the cycle reads, and reads it back', async () => {
    const unit = simUnit(pvImage());
    const { poller } = await discovered(unit);
    const map = poller.sunspecMap()!;
    const pending = poller.control(
      command(powerLimitCommand(map, { limitPct: 42.5, revertAfterS: 60, windowS: 5 })),
    );
    unit.log.length = 0;
    const reading = await poller.poll();
    const result = await pending;
    expect(result).toEqual({
      ok: true,
      value: {
        modelId: 123,
        points: [
          { point: 'WMaxLimPct', value: 42.5, verified: true },
          { point: 'WMaxLimPct_WinTms', value: 5, verified: true },
          { point: 'WMaxLimPct_RvrtTms', value: 60, verified: true },
          { point: 'WMaxLim_Ena', value: 1, verified: true },
        ],
      },
    });
    expect(unit.image.words[WMAXLIMPCT_123 - 40000]).toBe(425); // WMaxLimPct_SF = -1
    expect(unit.image.getPoint(123, 'WMaxLimPct_RvrtTms')).toBe(60);
    expect(unit.image.getPoint(123, 'WMaxLim_Ena')).toBe(1);
    // Header + SF check, two writes (3..5 together, the enable on its own), read-back, then the poll.
    expect(unit.log.map((l) => l.op)).toEqual(['read', 'write', 'write', 'read', 'read']);
    expect(unit.log[1]).toMatchObject({ address: WMAXLIMPCT_123, count: 3 });
    expect(unit.log[2]).toMatchObject({ address: WMAXLIMPCT_123 + 4, count: 1 });
    expect(reading?.values.powerLimitPct).toBe(42.5);
  });

  it('refuses bad commands at once, with nothing sent', async () => {
    const unit = simUnit(pvImage());
    const { poller } = await discovered(unit);
    unit.log.length = 0;
    const refusals = await Promise.all([
      poller.control({ modelId: 123, writes: [{ point: 'WMaxLimPct', value: 7000 }] }),
      poller.control({ modelId: 123, writes: [{ point: 'WMaxLimPct', value: 42.55 }] }),
      poller.control({ modelId: 123, writes: [{ point: 'WMaxLim_Ena', value: 5 }] }),
      poller.control({ modelId: 123, writes: [{ point: 'WMaxLimPct', value: 'lots' }] }),
      poller.control({ modelId: 120, writes: [{ point: 'WRtg', value: 6000 }] }),
      poller.control({ modelId: 123, writes: [{ point: 'NoSuchPoint', value: 1 }] }),
      poller.control({ modelId: 704, writes: [{ point: 'WSet', value: 1 }] }),
      poller.control({ modelId: 123, writes: [] }),
    ]);
    expect(refusals.map((r) => !r.ok && r.error.code)).toEqual([
      'out_of_range',
      'out_of_range',
      'out_of_range',
      'wrong_type',
      'read_only',
      'unknown_point',
      'model_missing',
      'unknown_point',
    ]);
    expect(refusals[0]).toMatchObject({
      error: { message: expect.stringMatching(/7000 % WMax is outside 0\.\.6553\.4/) },
    });
    expect(unit.log).toEqual([]);
    await poller.poll();
    expect(unit.log.every((l) => l.op === 'read')).toBe(true);
    expect(
      powerLimitCommand({ baseAddress: 40000, models: [] }, { limitPct: 50, revertAfterS: 60 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'model_missing' },
    });
    expect(
      powerLimitCommand(poller.sunspecMap()!, { limitPct: 50, revertAfterS: 0 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
  });

  it('encodes at the scale factor the device has when the write goes out', async () => {
    const unit = simUnit(pvImage());
    const { poller } = await discovered(unit);
    const pending = poller.control({
      modelId: 123,
      writes: [{ point: 'WMaxLimPct', value: 42.5 }],
    });
    unit.image.setPoint(123, 'WMaxLimPct_SF', 0); // the device changed its scale meanwhile
    await poller.poll();
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: 'out_of_range', written: [] },
    });
    expect(unit.log.some((l) => l.op === 'write')).toBe(false);
  });

  it('writes nothing when the map moved, and re-discovers', async () => {
    const unit = simUnit(pvImage());
    const { poller, server } = await discovered(unit);
    const pending = poller.control(
      command(powerLimitCommand(poller.sunspecMap()!, { limitPct: 50, revertAfterS: 60 })),
    );
    const moved = simUnit(
      meterImage('PV-1', [
        { id: 120, values: {} },
        { id: 123, values: {} },
      ]),
    );
    server.setUnit(1, moved.handler);
    await poller.poll();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'stale_map', written: [] } });
    expect(moved.log.some((l) => l.op === 'write')).toBe(false);
    expect(poller.sunspecMap()).toBeNull();
  });

  it('keeps only the newest of two pending commands for the same points', async () => {
    const unit = simUnit(pvImage());
    const { poller } = await discovered(unit);
    const map = poller.sunspecMap()!;
    const first = poller.control(
      command(powerLimitCommand(map, { limitPct: 30, revertAfterS: 60 })),
    );
    const second = poller.control(
      command(powerLimitCommand(map, { limitPct: 70, revertAfterS: 60 })),
    );
    await poller.poll();
    expect(await first).toMatchObject({ ok: false, error: { code: 'superseded' } });
    expect(await second).toMatchObject({ ok: true });
    expect(unit.image.getPoint(123, 'WMaxLimPct')).toBe(70);
  });

  it('reports a device that keeps another value than was written', async () => {
    const unit = simUnit(pvImage());
    const write = unit.handler.writeRegisters!;
    unit.handler.writeRegisters = (address, values) => {
      const done = write(address, values);
      unit.image.setPoint(123, 'WMaxLimPct', 80); // clamps to its own minimum
      return done;
    };
    const { poller } = await discovered(unit);
    const pending = poller.control({ modelId: 123, writes: [{ point: 'WMaxLimPct', value: 10 }] });
    await poller.poll();
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: 'readback_mismatch', point: 'WMaxLimPct', written: ['WMaxLimPct'] },
    });
  });
});

describe('model 704 and model 124', () => {
  const der704 = {
    id: 704,
    values: { points: { WMaxLimPctEna: 0, WSetEna: 0, WSetMod: 0, WMaxLimPct: 100 } },
    scaleFactors: {
      WMaxLimPct_SF: 0,
      WSet_SF: 1,
      PF_SF: -3,
      WSetPct_SF: 0,
      VarSet_SF: 0,
      VarSetPct_SF: 0,
    },
  };

  it('limits power and sets watts through 704, with revert values and timers', async () => {
    const unit = simUnit(pvImage('PV-1', [der704]));
    const { poller } = await discovered(unit);
    const map = poller.sunspecMap()!;
    const limit = poller.control(
      command(powerLimitCommand(map, { limitPct: 60, revertAfterS: 900 })),
    );
    const watts = poller.control(command(activePowerCommand({ watts: 2500, revertAfterS: 120 })));
    await poller.poll();
    expect(await limit).toMatchObject({ ok: true, value: { modelId: 704 } });
    expect(await watts).toMatchObject({ ok: true, value: { modelId: 704 } });
    const model = unit.image.getModel(704).points;
    expect(model).toMatchObject({
      WMaxLimPct: 60,
      WMaxLimPctRvrt: 100,
      WMaxLimPctEnaRvrt: 0,
      WMaxLimPctRvrtTms: 900,
      WMaxLimPctEna: 1,
      WSetMod: 1,
      WSet: 2500,
      WSetRvrt: 0,
      WSetRvrtTms: 120,
      WSetEna: 1,
    });
    const wsetAt = unit.image.models.find((m) => m.id === 704)!.address + 2 + 22;
    expect(unit.image.words[wsetAt - 40000 + 1]).toBe(250); // int32 low word, WSet_SF = 1
  });

  it('sets storage limits through 124 with the revert timer, mode last', async () => {
    const image = buildSunspecImage({
      models: [
        { id: 1, values: { points: { Mn: 'Acme', Md: 'Bat', SN: 'B-1' } } },
        { id: 103, values: { points: { W: 0, Hz: 50 } } },
        {
          id: 124,
          values: { points: { WChaMax: 5000, StorCtl_Mod: 0, ChaState: 40 } },
          scaleFactors: { WChaMax_SF: 0, MinRsvPct_SF: 0, InOutWRte_SF: -1, ChaState_SF: 0 },
        },
      ],
    });
    const unit = simUnit(image);
    const { poller } = await discovered(unit, 'battery');
    const pending = poller.control(
      command(
        storageCommand({
          maxChargeW: 3000,
          chargeRatePct: 50.5,
          dischargeRatePct: -20,
          minReservePct: 10,
          limitCharge: true,
          limitDischarge: true,
          revertAfterS: 300,
        }),
      ),
    );
    unit.log.length = 0;
    await poller.poll();
    expect(await pending).toMatchObject({ ok: true });
    expect(image.getModel(124).points).toMatchObject({
      WChaMax: 3000,
      InWRte: 50.5,
      OutWRte: -20,
      MinRsvPct: 10,
      InOutWRte_RvrtTms: 300,
      StorCtl_Mod: 3,
    });
    const writes = unit.log.filter((l) => l.op === 'write');
    expect(writes.at(-1)).toMatchObject({ address: 40070 + 52 + 2 + 3, count: 1 }); // StorCtl_Mod last
    expect(
      await poller.control({ modelId: 124, writes: [{ point: 'ChaState', value: 50 }] }),
    ).toMatchObject({ ok: false, error: { code: 'read_only' } });
  });
});
