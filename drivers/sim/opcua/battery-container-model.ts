// A community battery container as its PLC sees it: a power setpoint the inverter follows
// at a ramp rate, a breaker, an operating mode, a reserve the battery never discharges
// below, a setpoint watchdog (the setpoint falls back to 0 W when nobody re-writes it in
// time, as revert timers do on real devices) and latched alarm flags. Deterministic: only
// step(dtMs) moves it, from the simulator's interval or a test.
// Signs as everywhere in the station: power > 0 is discharge, < 0 charge.

export const OPERATING_MODES = ['Standby', 'Running', 'Maintenance'] as const;
export type OperatingMode = (typeof OPERATING_MODES)[number];

/** Alarm flags (UInt32 bits), latched until ResetAlarms or AcknowledgeAlarm. */
export const ALARM_BITS = {
  socLow: 1 << 0,
  socHigh: 1 << 1,
  setpointTimeout: 1 << 2,
  overTemperature: 1 << 3,
  breakerTripped: 1 << 4,
} as const;

export interface BatteryContainerConfig {
  capacityWh: number;
  ratedPowerW: number;
  /** How fast the inverter follows a new setpoint. */
  rampWPerS: number;
  initialSocPct: number;
  socLowAlarmPct: number;
  socHighAlarmPct: number;
  serialNumber: string;
}

export const DEFAULT_BATTERY_CONFIG: BatteryContainerConfig = {
  capacityWh: 100_000,
  ratedPowerW: 50_000,
  rampWPerS: 10_000,
  initialSocPct: 50,
  socLowAlarmPct: 5,
  socHighAlarmPct: 98,
  serialNumber: 'SIM-BC-0001',
};

export interface BatteryContainerState {
  socPct: number;
  activePowerW: number;
  powerSetpointW: number;
  breakerClosed: boolean;
  operatingMode: OperatingMode;
  reserveSocPct: number;
  /** 0: no watchdog. */
  setpointTimeoutS: number;
  alarms: number;
  energyChargedWh: number;
  energyDischargedWh: number;
  modelTimeMs: number;
}

const MS_PER_H = 3_600_000;

export class BatteryContainerModel {
  readonly config: BatteryContainerConfig;
  private s: BatteryContainerState;
  private setpointWrittenAtMs = 0;

  constructor(config: Partial<BatteryContainerConfig> = {}) {
    this.config = { ...DEFAULT_BATTERY_CONFIG, ...config };
    this.s = {
      socPct: this.config.initialSocPct,
      activePowerW: 0,
      powerSetpointW: 0,
      breakerClosed: true,
      operatingMode: 'Running',
      reserveSocPct: 10,
      setpointTimeoutS: 0,
      alarms: 0,
      energyChargedWh: 0,
      energyDischargedWh: 0,
      modelTimeMs: 0,
    };
  }

  state(): Readonly<BatteryContainerState> {
    return { ...this.s };
  }

  setPowerSetpointW(watts: number): void {
    this.s.powerSetpointW = watts;
    this.setpointWrittenAtMs = this.s.modelTimeMs;
  }

  setBreakerClosed(closed: boolean): void {
    this.s.breakerClosed = closed;
  }

  setOperatingMode(mode: OperatingMode): void {
    this.s.operatingMode = mode;
  }

  setReserveSocPct(pct: number): void {
    this.s.reserveSocPct = pct;
  }

  setSetpointTimeoutS(seconds: number): void {
    this.s.setpointTimeoutS = seconds;
    this.setpointWrittenAtMs = this.s.modelTimeMs;
  }

  /** For tests and the demo: e.g. raiseAlarms(ALARM_BITS.overTemperature). */
  raiseAlarms(bits: number): void {
    this.s.alarms = (this.s.alarms | bits) >>> 0;
  }

  /** Clears every alarm; returns the flags that were active. */
  resetAlarms(): number {
    const cleared = this.s.alarms;
    this.s.alarms = 0;
    return cleared;
  }

  /** Clears one alarm bit (0–31); returns the flags still active. */
  acknowledgeAlarm(bit: number): number {
    this.s.alarms = (this.s.alarms & ~(1 << bit)) >>> 0;
    return this.s.alarms;
  }

  /** For tests: put the battery at a state of charge. */
  setSocPct(pct: number): void {
    this.s.socPct = Math.min(100, Math.max(0, pct));
  }

  step(dtMs: number): void {
    if (!(dtMs > 0)) return;
    const s = this.s;
    s.modelTimeMs += dtMs;
    const watchdogMs = s.setpointTimeoutS * 1000;
    if (watchdogMs > 0 && s.powerSetpointW !== 0) {
      if (s.modelTimeMs - this.setpointWrittenAtMs > watchdogMs) {
        s.powerSetpointW = 0;
        this.raiseAlarms(ALARM_BITS.setpointTimeout);
      }
    }
    const target = this.allowedPowerW();
    const maxChangeW = (this.config.rampWPerS * dtMs) / 1000;
    const change = Math.max(-maxChangeW, Math.min(maxChangeW, target - s.activePowerW));
    s.activePowerW =
      Math.abs(target - s.activePowerW) <= maxChangeW ? target : s.activePowerW + change;
    const energyWh = (s.activePowerW * dtMs) / MS_PER_H;
    if (energyWh > 0) s.energyDischargedWh += energyWh;
    else s.energyChargedWh -= energyWh;
    s.socPct = Math.min(100, Math.max(0, s.socPct - (energyWh / this.config.capacityWh) * 100));
    if (s.socPct <= this.config.socLowAlarmPct) this.raiseAlarms(ALARM_BITS.socLow);
    if (s.socPct >= this.config.socHighAlarmPct) this.raiseAlarms(ALARM_BITS.socHigh);
  }

  /** What the inverter may deliver now: the setpoint, within breaker, mode and SoC limits. */
  private allowedPowerW(): number {
    const s = this.s;
    if (!s.breakerClosed || s.operatingMode !== 'Running') return 0;
    const rated = this.config.ratedPowerW;
    const wanted = Math.max(-rated, Math.min(rated, s.powerSetpointW));
    if (wanted > 0 && s.socPct <= s.reserveSocPct) return 0;
    if (wanted < 0 && s.socPct >= 100) return 0;
    return wanted;
  }
}
