// ProfilePoller.apply against the demo's load switches over loopback Modbus TCP: shedding
// writes the revert time first and then opens the switch (so the load comes back by itself
// if the station stops), switching on writes only the switch, and anything a profile
// cannot do is refused without a single write.
import { describe, expect, it } from 'vitest';
import { startLockstep } from '../sim/demo-microgrid/support/lockstep-demo';

const EVENING_MS = Date.UTC(2025, 11, 21, 17); // 18:00 in Berlin, midwinter

describe('ProfilePoller.apply (load switching)', () => {
  it('sheds with offRevertS first, and the load reconnects after it in simulated time', async () => {
    const { demo, profile } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    const load = profile('load-02');
    const result = await load.apply({ kind: 'load', on: false, revertSeconds: 30 });
    expect(result).toEqual({ ok: true, value: { appliedValue: false } });
    expect(recorder.writes.map((w) => [w.values, w.accepted, w.withoutRevert])).toEqual([
      [{ offRevertS: 30 }, true, false],
      [{ switchOn: false }, true, false],
    ]);
    const shedAtMs = demo.simNowMs;
    expect(demo.advanceTo(shedAtMs + 29_999).switchableLoads['load-02']!.on).toBe(false);
    expect(demo.advanceTo(shedAtMs + 30_000).switchableLoads['load-02']!.on).toBe(true);
    expect(recorder.summary().envelopeViolations).toBe(0);
  });

  it('switches on with the switch alone', async () => {
    const { demo, profile } = await startLockstep(EVENING_MS);
    const load = profile('load-03');
    expect((await load.apply({ kind: 'load', on: false, revertSeconds: 60 })).ok).toBe(true);
    expect(demo.step(1000).switchableLoads['load-03']).toMatchObject({ on: false, powerW: 0 });
    const recorder = demo.startRecording();
    expect(await load.apply({ kind: 'load', on: true, revertSeconds: 60 })).toEqual({
      ok: true,
      value: { appliedValue: true },
    });
    expect(recorder.writes.map((w) => w.values)).toEqual([{ switchOn: true }]);
    expect(demo.step(1000).switchableLoads['load-03']!.powerW).toBe(7400);
  });

  it('refuses battery and PV setpoints, and profiles without a switch, writing nothing', async () => {
    const { demo, profile } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    const load = profile('load-01');
    expect(await load.apply({ kind: 'battery', powerW: 1000, revertSeconds: 30 })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    expect(await load.apply({ kind: 'pv-limit', limitPct: 50, revertSeconds: 30 })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    const meter = profile('community-hall-meter'); // Eastron SDM630: nothing to switch
    expect(await meter.apply({ kind: 'load', on: false, revertSeconds: 30 })).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: expect.stringContaining('switchOn') },
    });
    expect(recorder.writes).toEqual([]);
  });

  it('does not open the switch when the revert time is refused', async () => {
    const { demo, profile } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    const load = profile('load-04');
    // 70 000 s is outside the register's 0..65535: refused before anything is sent.
    const result = await load.apply({ kind: 'load', on: false, revertSeconds: 70_000 });
    expect(result.ok).toBe(false);
    expect(recorder.writes).toEqual([]);
    expect(demo.step(1000).switchableLoads['load-04']!.on).toBe(true);
  });
});
