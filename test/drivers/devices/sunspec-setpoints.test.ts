// Control-layer setpoints on SunSpec devices through the poller's write phase, against
// SunSpec images behind the simulator on loopback: a PV limit lands in model 123 with its
// revert timer and enable; a battery power becomes both StorCtl_Mod bits with
// OutWRte = −InWRte = p % of the device's own WChaMax (read in the same write phase).
import { describe, expect, it } from 'vitest';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { pollerFor, pvImage, simUnit } from './support/sunspec-sim';

function batteryImage(wChaMax: number) {
  return buildSunspecImage({
    models: [
      { id: 1, values: { points: { Mn: 'Acme', Md: 'Bat', SN: 'B-1' } } },
      { id: 103, values: { points: { W: 0, Hz: 50 } } },
      {
        id: 124,
        values: { points: { WChaMax: wChaMax, StorCtl_Mod: 0, ChaState: 40 } },
        scaleFactors: { WChaMax_SF: 0, MinRsvPct_SF: 0, InOutWRte_SF: -1, ChaState_SF: 0 },
      },
    ],
  });
}

async function discovered(unit: ReturnType<typeof simUnit>, role: 'pv-inverter' | 'battery') {
  const sim = await pollerFor(unit, role);
  expect(await sim.poller.poll()).not.toBeNull();
  return sim.poller;
}

describe('SunSpec setpoints', () => {
  it('limits PV output through model 123 with a revert timer, enable last', async () => {
    const image = pvImage();
    const unit = simUnit(image);
    const poller = await discovered(unit, 'pv-inverter');
    const pending = poller.apply({ kind: 'pv-limit', limitPct: 35, revertSeconds: 30 });
    await poller.poll();
    expect(await pending).toEqual({ ok: true, value: { appliedValue: 35 } });
    expect(image.getModel(123).points).toMatchObject({
      WMaxLimPct: 35,
      WMaxLimPct_RvrtTms: 30,
      WMaxLim_Ena: 1,
    });
  });

  it('floors a PV limit to the step the device holds (its scale factor), never above the ask', async () => {
    const image = pvImage('PV-2', []);
    // This inverter holds whole percent only (WMaxLimPct_SF 0).
    image.setPoint(123, 'WMaxLimPct_SF', 0);
    const unit = simUnit(image);
    const poller = await discovered(unit, 'pv-inverter');
    const pending = poller.apply({ kind: 'pv-limit', limitPct: 40.7, revertSeconds: 30 });
    await poller.poll();
    expect(await pending).toEqual({ ok: true, value: { appliedValue: 40 } });
    expect(image.getModel(123).points).toMatchObject({ WMaxLimPct: 40, WMaxLim_Ena: 1 });
    // At 0.1 % resolution the ask is kept exactly, even where binary floating point is not.
    image.setPoint(123, 'WMaxLimPct_SF', -1);
    await poller.poll();
    const finer = poller.apply({ kind: 'pv-limit', limitPct: 40.3, revertSeconds: 30 });
    await poller.poll();
    expect(await finer).toEqual({ ok: true, value: { appliedValue: 40.3 } });
  });

  it('holds a battery power as a percentage of the device WChaMax', async () => {
    const image = batteryImage(8000);
    const unit = simUnit(image);
    const poller = await discovered(unit, 'battery');
    const charge = poller.apply({ kind: 'battery', powerW: -2000, revertSeconds: 20 });
    await poller.poll();
    expect(await charge).toMatchObject({ ok: true });
    // −2000 W of 8000 W: −25 % → OutWRte −25, InWRte 25, both bits in force.
    expect(image.getModel(124).points).toMatchObject({
      OutWRte: -25,
      InWRte: 25,
      InOutWRte_RvrtTms: 20,
      StorCtl_Mod: 3,
    });
    const discharge = poller.apply({ kind: 'battery', powerW: 1234, revertSeconds: 20 });
    await poller.poll();
    expect(await discharge).toMatchObject({ ok: true });
    // 1234 / 8000 = 15.425 % → 15.4 % at the station's 0.1 % step.
    expect(image.getModel(124).points).toMatchObject({ OutWRte: 15.4, InWRte: -15.4 });
  });

  it('refuses a battery setpoint without a WChaMax basis and load switching, sending nothing', async () => {
    const image = batteryImage(0);
    const unit = simUnit(image);
    const poller = await discovered(unit, 'battery');
    const pending = poller.apply({ kind: 'battery', powerW: 1000, revertSeconds: 20 });
    unit.log.length = 0;
    await poller.poll();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'no_scale_factor' } });
    expect(unit.log.filter((l) => l.op === 'write')).toEqual([]);
    expect(await poller.apply({ kind: 'load', on: false, revertSeconds: 20 })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
  });
});
