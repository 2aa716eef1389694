// Switchable loads and grid outages in the demo, seen over Modbus TCP on loopback: a coil
// write switches a load and its member's demand drops by exactly its power; an outage
// shows at the grid meter as 0 V / 0 Hz while the battery forms the island, and a
// scheduled one starts and ends on the simulated millisecond.
import { describe, expect, it } from 'vitest';
import { startLockstep } from './support/lockstep-demo';

const EVENING_MS = Date.UTC(2025, 11, 21, 17); // 18:00 in Berlin, midwinter

describe('demo switchable loads', () => {
  it('a coil write switches the load off and the member meter drops by its power', async () => {
    const { demo, profile, sunspec } = await startLockstep(EVENING_MS);
    demo.step(1000);
    const load = profile('load-03'); // EV charger, 7400 W, flat 10
    const before = await load.poll();
    expect(before?.values).toMatchObject({ powerW: 7400, ratedPowerW: 7400 });
    expect(load.latestValues().get('switchOn')?.value).toBe(true);
    const loadW = demo.physics.state().households['meter-10']!.loadW;

    expect((await load.writePoint('switchOn', false)).ok).toBe(true);
    // Same instant, same weather and demand: only the switched load is gone.
    expect(demo.physics.state().households['meter-10']!.loadW).toBe(loadW - 7400);
    const s = demo.step(1000);
    expect(s.switchableLoads['load-03']).toMatchObject({ on: false, powerW: 0 });
    expect((await load.poll())?.values.powerW).toBe(0);
    expect(load.latestValues().get('switchOn')?.value).toBe(false);
    const meter = await sunspec('meter-10');
    expect((await meter.poll())?.values.powerW).toBe(s.households['meter-10']!.netW);

    expect((await load.writePoint('switchOn', true)).ok).toBe(true);
    expect(demo.step(1000).switchableLoads['load-03']!.powerW).toBe(7400);
  });

  it('refuses writes anywhere but the switch coil and the revert register', async () => {
    const { demo, raw } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    const load = await raw('load-04');
    await expect(load.writeCoil(1, false)).rejects.toMatchObject({ modbusCode: 2 });
    await expect(load.writeRegisters(1, [0])).rejects.toMatchObject({ modbusCode: 2 });
    expect(demo.step(1000).switchableLoads['load-04']!.on).toBe(true);
    expect(recorder.writes.map((w) => [w.deviceId, w.accepted, w.exceptionCode])).toEqual([
      ['load-04', false, 2],
      ['load-04', false, 2],
    ]);
  });

  it('switches a shed load back on after offRevertS in simulated time; shedding without it is flagged', async () => {
    const { demo, profile } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    const load = profile('load-02');
    expect((await load.writePoint('offRevertS', 30)).ok).toBe(true);
    expect((await load.writePoint('switchOn', false)).ok).toBe(true);
    const shedAtMs = demo.simNowMs;
    expect(demo.advanceTo(shedAtMs + 29_999).switchableLoads['load-02']!.on).toBe(false);
    expect(demo.advanceTo(shedAtMs + 30_000).switchableLoads['load-02']!.on).toBe(true);
    expect((await load.writePoint('offRevertS', 0)).ok).toBe(true);
    expect((await load.writePoint('switchOn', false)).ok).toBe(true);
    expect(demo.step(3_600_000).switchableLoads['load-02']!.on).toBe(false);
    expect(recorder.writes.map((w) => [w.values, w.withoutRevert])).toEqual([
      [{ offRevertS: 30 }, false],
      [{ switchOn: false }, false],
      [{ offRevertS: 0 }, false],
      [{ switchOn: false }, true],
    ]);
  });
});

describe('demo grid outage', () => {
  it('shows 0 V / 0 Hz at the grid meter while the battery forms the grid', async () => {
    const { demo, sunspec } = await startLockstep(EVENING_MS);
    const grid = await sunspec('grid-meter');
    const battery = await sunspec('community-battery');
    demo.step(1000);
    const normal = await grid.poll();
    expect(normal?.values.voltageV).toBeGreaterThan(220);
    expect(normal?.values.frequencyHz).toBeGreaterThan(49.9);

    demo.setOutage(true);
    const s = demo.step(1000);
    expect(s.grid).toMatchObject({ outage: true, powerW: 0, voltageV: 0, frequencyHz: 0 });
    expect(s.battery.mode).toBe('grid-forming');
    const demandW =
      Object.values(s.households).reduce((a, h) => a + h.netW, 0) +
      Object.values(s.community).reduce((a, c) => a + c.loadW, 0);
    expect(s.battery.powerW).toBe(demandW);
    expect((await grid.poll())?.values).toMatchObject({ powerW: 0, voltageV: 0, frequencyHz: 0 });
    // Inside the island the battery inverter holds 230 V / 50 Hz; it reports in 10 W steps.
    const reading = await battery.poll();
    expect(reading?.values.powerW).toBe(Math.round(s.battery.powerW / 10) * 10);
    expect(reading?.values.frequencyHz).toBe(50);
    expect(demo.devices.get('community-battery')!.image.getPoint(103, 'PhVphA')).toBe(230);

    demo.setOutage(false);
    expect(demo.step(1000).battery.mode).toBe('self-consumption');
    expect((await grid.poll())?.values.voltageV).toBeGreaterThan(220);
  });

  it('the battery inverter reports the island: model 122 ECPConn, polled as gridConnected 0', async () => {
    const { demo, sunspec } = await startLockstep(EVENING_MS);
    const battery = await sunspec('community-battery');
    const image = demo.devices.get('community-battery')!.image;
    demo.step(1000);
    expect((await battery.poll())?.values.gridConnected).toBe(1);
    expect(image.getPoint(122, 'ECPConn')).toBe(1);

    demo.scheduleOutage(demo.simNowMs + 500, demo.simNowMs + 60_000);
    demo.step(1000);
    const islanded = await battery.poll();
    expect(islanded?.values).toMatchObject({ gridConnected: 0, frequencyHz: 50 });
    expect(image.getPoint(122, 'ECPConn')).toBe(0);
    // Not a communication failure: the inverter answers and says so.
    expect(battery.status().state).toBe('ok');

    demo.step(60_000);
    expect((await battery.poll())?.values.gridConnected).toBe(1);
  });

  it('runs a scheduled outage on its simulated times, whatever the step size', async () => {
    const { demo } = await startLockstep(EVENING_MS);
    const recorder = demo.startRecording();
    demo.scheduleOutage(EVENING_MS + 10_500, EVENING_MS + 70_250);
    expect(demo.advanceTo(EVENING_MS + 10_499).grid.outage).toBe(false);
    expect(demo.advanceTo(EVENING_MS + 10_500).grid.outage).toBe(true);
    demo.step(3_600_000);
    expect(demo.state().grid.outage).toBe(false);
    expect(recorder.summary().outages).toEqual([
      { startMs: EVENING_MS + 10_500, endMs: EVENING_MS + 70_250 },
    ]);
  });

  it('can take a device off the wire (no reply) and bring it back', async () => {
    const { demo, sunspec } = await startLockstep(EVENING_MS);
    const meter = await sunspec('meter-03');
    demo.setDeviceFault('meter-03', { kind: 'no-reply' });
    expect(await meter.poll()).toBeNull();
    demo.setDeviceFault('meter-03', null);
    expect(await meter.poll()).not.toBeNull();
  });
});
