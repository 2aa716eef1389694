// The battery container's physics, stepped by hand: setpoint → ramped power → state of
// charge, with breaker, mode, reserve, watchdog and alarms; deterministic.
import { describe, expect, it } from 'vitest';
import {
  ALARM_BITS,
  BatteryContainerModel,
} from '../../../../drivers/sim/opcua/battery-container-model';

describe('BatteryContainerModel', () => {
  it('ramps power to the setpoint and moves the state of charge by the energy', () => {
    const m = new BatteryContainerModel({
      capacityWh: 100_000,
      rampWPerS: 10_000,
      initialSocPct: 50,
    });
    m.setPowerSetpointW(30_000);
    m.step(1000);
    expect(m.state().activePowerW).toBe(10_000);
    m.step(2000);
    expect(m.state().activePowerW).toBe(30_000);
    const before = m.state().socPct;
    m.step(3_600_000); // one hour at 30 kW: 30 % of 100 kWh
    expect(before - m.state().socPct).toBeCloseTo(30, 6);
    // Each step counts its end power for the whole step: 10 kW·1 s + 30 kW·2 s + 30 kW·1 h.
    expect(m.state().energyDischargedWh).toBeCloseTo(30_000 + (10_000 * 1 + 30_000 * 2) / 3600, 6);
  });

  it('charges with negative power and stops at 100 %', () => {
    const m = new BatteryContainerModel({ initialSocPct: 99, rampWPerS: 1e9 });
    m.setPowerSetpointW(-50_000);
    m.step(3_600_000);
    expect(m.state().socPct).toBe(100);
    m.step(1000);
    expect(m.state().activePowerW).toBe(0);
    expect(m.state().alarms & ALARM_BITS.socHigh).toBe(ALARM_BITS.socHigh);
  });

  it('gives no power with the breaker open, outside Running or at the reserve', () => {
    const m = new BatteryContainerModel({ rampWPerS: 1e9 });
    m.setPowerSetpointW(10_000);
    m.setBreakerClosed(false);
    m.step(1000);
    expect(m.state().activePowerW).toBe(0);
    m.setBreakerClosed(true);
    m.setOperatingMode('Standby');
    m.step(1000);
    expect(m.state().activePowerW).toBe(0);
    m.setOperatingMode('Running');
    m.setReserveSocPct(60);
    m.step(1000);
    expect(m.state().activePowerW).toBe(0); // 50 % is below the 60 % reserve: no discharge
    m.setPowerSetpointW(-10_000);
    m.step(1000);
    expect(m.state().activePowerW).toBe(-10_000); // charging is fine
  });

  it('the watchdog drops a setpoint nobody re-writes and raises an alarm', () => {
    const m = new BatteryContainerModel({ rampWPerS: 1e9 });
    m.setSetpointTimeoutS(10);
    m.setPowerSetpointW(5000);
    m.step(9000);
    expect(m.state().powerSetpointW).toBe(5000);
    m.setPowerSetpointW(5000); // re-written in time
    m.step(9000);
    expect(m.state().powerSetpointW).toBe(5000);
    m.step(2000);
    expect(m.state()).toMatchObject({ powerSetpointW: 0, activePowerW: 0 });
    expect(m.state().alarms).toBe(ALARM_BITS.setpointTimeout);
  });

  it('latches alarms until reset or acknowledged', () => {
    const m = new BatteryContainerModel({ initialSocPct: 4 });
    m.step(1);
    expect(m.state().alarms).toBe(ALARM_BITS.socLow);
    m.raiseAlarms(ALARM_BITS.overTemperature);
    expect(m.acknowledgeAlarm(0)).toBe(ALARM_BITS.overTemperature);
    m.setSocPct(50);
    expect(m.resetAlarms()).toBe(ALARM_BITS.overTemperature);
    m.step(1);
    expect(m.state().alarms).toBe(0);
  });

  it('is deterministic: the same steps give the same state', () => {
    const run = () => {
      const m = new BatteryContainerModel();
      for (let i = 0; i < 500; i++) {
        if (i % 50 === 0) m.setPowerSetpointW(((i * 7919) % 100_000) - 50_000);
        m.step(250 + (i % 3));
      }
      return m.state();
    };
    expect(run()).toEqual(run());
  });
});
