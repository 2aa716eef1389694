// What the outside world has told the demo devices to do: PV power limits, a battery
// power window, the battery's charge ceiling and reserve, load switches, and scheduled
// grid outages. Timed controls lapse on their own deadline in simulated time, as a SunSpec
// device drops a control when its revert timer runs out; the physics ends a segment at the
// next deadline or event, so when they lapse does not depend on how the caller steps.
import type { DemoTopology } from './demo-topology';

/** Battery AC power must stay inside [minW, maxW] (> 0 discharge); minW = maxW is a setpoint. */
export interface BatteryWindow {
  minW: number;
  maxW: number;
}

export interface Timed<T> {
  value: T;
  /** Simulated ms at which it lapses; null = until changed (SunSpec RvrtTms 0). */
  revertAtMs: number | null;
}

export interface OutageEvent {
  atMs: number;
  outage: boolean;
}

export interface DemoControls {
  battery: Timed<BatteryWindow> | null;
  /** Aligned with topology.pv: limit in % of the inverter's rated AC power. */
  pvLimitPct: (Timed<number> | null)[];
  /** Aligned with topology.switchableLoads. */
  loadOn: boolean[];
  /** When a switched-off load switches itself back on (fail-safe towards supply); null = never. */
  loadRevertAtMs: (number | null)[];
  /** WChaMax: charge ceiling in W below the nameplate; null = nameplate. */
  chargeCapW: number | null;
  /** MinRsvPct: SoC the battery keeps while grid-connected; null = its BMS minimum. */
  reservePct: number | null;
  outage: boolean;
  /** Pending scheduled outage starts and ends, in time order. */
  events: OutageEvent[];
}

export function createDemoControls(topology: DemoTopology): DemoControls {
  return {
    battery: null,
    pvLimitPct: topology.pv.map(() => null),
    loadOn: topology.switchableLoads.map(() => true),
    loadRevertAtMs: topology.switchableLoads.map(() => null),
    chargeCapW: null,
    reservePct: null,
    outage: false,
    events: [],
  };
}

/**
 * Drops what has lapsed and applies scheduled events due at `nowMs`. Returns true when
 * anything changed, so the caller re-decides the battery.
 */
export function settleControls(c: DemoControls, nowMs: number): boolean {
  let changed = false;
  if (lapsed(c.battery, nowMs)) {
    c.battery = null;
    changed = true;
  }
  c.pvLimitPct.forEach((limit, i) => {
    if (lapsed(limit, nowMs)) {
      c.pvLimitPct[i] = null;
      changed = true;
    }
  });
  c.loadRevertAtMs.forEach((atMs, i) => {
    if (atMs === null || atMs > nowMs) return;
    c.loadRevertAtMs[i] = null;
    c.loadOn[i] = true;
    changed = true;
  });
  while (c.events[0] && c.events[0].atMs <= nowMs) {
    const event = c.events.shift();
    if (event && event.outage !== c.outage) {
      c.outage = event.outage;
      changed = true;
    }
  }
  return changed;
}

/** The next simulated time at which a control lapses or an event fires; Infinity if none. */
export function nextDeadlineMs(c: DemoControls): number {
  let next = c.events[0]?.atMs ?? Infinity;
  for (const timed of [c.battery, ...c.pvLimitPct])
    if (timed?.revertAtMs != null) next = Math.min(next, timed.revertAtMs);
  for (const atMs of c.loadRevertAtMs) if (atMs !== null) next = Math.min(next, atMs);
  return next;
}

/** Adds an outage from `startMs` to `endMs` (null: until setOutage(false)). */
export function addOutageWindow(c: DemoControls, startMs: number, endMs: number | null): void {
  c.events.push({ atMs: startMs, outage: true });
  if (endMs !== null) c.events.push({ atMs: endMs, outage: false });
  // Stable sort: a restore and a new start at the same instant keep the order they were given.
  c.events.sort((a, b) => a.atMs - b.atMs);
}

/** PV output cap per inverter in W, or null where no limit is in force. */
export function pvLimitsW(c: DemoControls, topology: DemoTopology): (number | null)[] {
  return c.pvLimitPct.map((limit, i) => {
    const ratedW = topology.pv[i]?.physics.ratedAcPowerW ?? 0;
    return limit ? Math.floor((ratedW * limit.value) / 100) : null;
  });
}

function lapsed<T>(timed: Timed<T> | null, nowMs: number): boolean {
  return timed?.revertAtMs != null && timed.revertAtMs <= nowMs;
}
