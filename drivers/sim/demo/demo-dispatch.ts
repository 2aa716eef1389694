// Who supplies the site during one segment of time: the battery (by its mode), the grid
// (whatever is left), and in an outage nobody but the battery. Every number is an integer
// W and the grid term is derived from the rounded parts, so the balance holds exactly:
//   Σ household netW + Σ community loadW = gridW + batteryW + unservedW
import { limitBatteryPower, type BatteryLimit } from './battery-model';
import type { BatteryWindow } from './demo-controls';
import type { BatteryPhysics } from './demo-physics-config';
import type { DemoEnvironment } from './demo-environment';
import type { DemoTopology } from './demo-topology';
import { apportion } from './demo-unserved';

export type BatteryMode = 'self-consumption' | 'setpoint' | 'grid-forming';

/**
 * A hybrid inverter's self-consumption control settles in steps, not to the watt: the grid
 * meter keeps a small residual (here at most half a step either way), as on real sites.
 */
export const SELF_CONSUMPTION_STEP_W = 50;

export interface DispatchInput {
  env: DemoEnvironment;
  topology: DemoTopology;
  battery: BatteryPhysics;
  storedWh: number;
  /**
   * External control in force (> 0 discharge): the battery's own self-consumption target,
   * held inside the window; null = plain self-consumption. Ignored in an outage.
   */
  window: BatteryWindow | null;
  /** Per inverter (aligned with topology.pv): output cap in W, null = none. */
  pvLimitW?: readonly (number | null)[];
  /** WChaMax written to the inverter: charge ceiling in W (null = nameplate). */
  chargeCapW?: number | null;
  /** MinRsvPct: SoC kept while grid-connected (null = the BMS minimum); an island may use it. */
  reservePct?: number | null;
  outage: boolean;
  durationMs: number;
}

export interface Dispatch {
  /** Aligned with topology.pv: after curtailment. */
  pvW: number[];
  /** Aligned with topology.households. */
  householdPvW: number[];
  householdNetW: number[];
  batteryW: number;
  batteryLimitedBy: BatteryLimit | null;
  batteryMode: BatteryMode;
  gridW: number;
  unservedW: number;
  /** unservedW split over who went without, aligned with topology.households / communityLoads. */
  householdUnservedW: number[];
  communityUnservedW: number[];
  /** PV held back: by a power limit, or in an outage because nobody could take it. */
  curtailedPvW: number;
  /** In an outage: what the island could supply now (battery's maximum + all available PV). */
  islandCapacityW: number | null;
}

export function dispatch(input: DispatchInput): Dispatch {
  const { env, topology, storedWh, outage, durationMs } = input;
  const battery = effectiveBattery(input);
  const pvW = [...env.pvAvailableW];
  let curtailedPvW = 0;
  input.pvLimitW?.forEach((limitW, i) => {
    const availableW = pvW[i] ?? 0;
    if (limitW === null || limitW >= availableW) return;
    pvW[i] = Math.max(0, limitW);
    curtailedPvW += availableW - (pvW[i] ?? 0);
  });
  const communityW = sum(env.communityLoadW);
  let householdNetW = netOf(topology, env, pvW);
  const demandW = sum(householdNetW) + communityW;

  let batteryMode: BatteryMode;
  let requestW: number;
  if (outage) {
    // A grid-forming inverter holds voltage and frequency, so it takes whatever the site
    // does not balance; modes and setpoints have no meaning without a grid to trade with.
    batteryMode = 'grid-forming';
    requestW = demandW;
  } else {
    // Self-consumption, like a hybrid inverter with its own grid meter: aim for zero, or
    // as close as the station's window allows (a setpoint is a window of one value).
    const ownW = Math.round(demandW / SELF_CONSUMPTION_STEP_W) * SELF_CONSUMPTION_STEP_W;
    const w = input.window;
    batteryMode = w ? 'setpoint' : 'self-consumption';
    requestW = w ? Math.min(w.maxW, Math.max(w.minW, ownW)) : ownW;
  }
  const decision = limitBatteryPower(battery, storedWh, requestW, durationMs);

  let unservedW = 0;
  if (outage) {
    const gapW = requestW - decision.powerW;
    // Deficit: load that nobody supplies. Surplus: PV that nobody can take; island
    // inverters curtail it (frequency shift), so it is never produced.
    if (gapW > 0) unservedW = gapW;
    else if (gapW < 0) {
      curtailedPvW += curtail(pvW, -gapW);
      householdNetW = netOf(topology, env, pvW);
    }
  }
  // The island has no load-shedding relays of its own: an overloaded grid-forming inverter
  // browns out everyone alike, so unserved power falls on members in proportion to what
  // they draw. Only the station's shedding (switchable loads) can spare the critical ones.
  const [householdUnservedW, communityUnservedW] = splitUnserved(
    unservedW,
    householdNetW,
    env.communityLoadW,
  );
  // The grid term comes from the rounded parts, so the balance is exact in integers.
  const gridW = outage ? 0 : sum(householdNetW) + communityW - decision.powerW;
  const islandCapacityW = outage
    ? limitBatteryPower(battery, storedWh, battery.maxDischargeW, durationMs).powerW +
      sum(env.pvAvailableW)
    : null;
  return {
    pvW,
    householdPvW: topology.households.map((h) => sumAt(pvW, h.pvIndices)),
    householdNetW,
    batteryW: decision.powerW,
    batteryLimitedBy: decision.limitedBy,
    batteryMode,
    gridW,
    unservedW,
    householdUnservedW,
    communityUnservedW,
    curtailedPvW,
    islandCapacityW,
  };
}

/** The battery as the inverter's written settings leave it: charge ceiling and reserve. */
function effectiveBattery(input: DispatchInput): BatteryPhysics {
  const b = input.battery;
  const capW = input.chargeCapW ?? b.maxChargeW;
  // The reserve is kept for outages, so an island may use it down to the BMS minimum.
  const reservePct = input.outage ? b.minSocPct : (input.reservePct ?? b.minSocPct);
  if (capW >= b.maxChargeW && reservePct <= b.minSocPct) return b;
  return {
    ...b,
    maxChargeW: Math.max(0, Math.min(b.maxChargeW, Math.floor(capW))),
    minSocPct: Math.min(b.maxSocPct, Math.max(b.minSocPct, reservePct)),
  };
}

function splitUnserved(
  unservedW: number,
  householdNetW: readonly number[],
  communityLoadW: readonly number[],
): [number[], number[]] {
  const draws = [...householdNetW, ...communityLoadW].map((w) => Math.max(0, w));
  const shares = apportion(draws, unservedW);
  return [shares.slice(0, householdNetW.length), shares.slice(householdNetW.length)];
}

function netOf(topology: DemoTopology, env: DemoEnvironment, pvW: number[]): number[] {
  return topology.households.map((h, i) => (env.householdLoadW[i] ?? 0) - sumAt(pvW, h.pvIndices));
}

function sumAt(values: readonly number[], indices: readonly number[]): number {
  let total = 0;
  for (const i of indices) total += values[i] ?? 0;
  return total;
}

/**
 * Takes `amountW` off the inverters in proportion to their output, in whole watts, and
 * returns what was taken. Mutates `pvW`.
 */
export function curtail(pvW: number[], amountW: number): number {
  const totalW = sum(pvW);
  const target = Math.min(amountW, totalW);
  if (target <= 0) return 0;
  let taken = 0;
  for (let i = 0; i < pvW.length; i++) {
    const cut = Math.floor((target * (pvW[i] ?? 0)) / totalW);
    pvW[i] = (pvW[i] ?? 0) - cut;
    taken += cut;
  }
  // Floors leave a few watts; take them one by one from whoever still produces most.
  while (taken < target) {
    let best = 0;
    for (let i = 1; i < pvW.length; i++) if ((pvW[i] ?? 0) > (pvW[best] ?? 0)) best = i;
    pvW[best] = (pvW[best] ?? 0) - 1;
    taken++;
  }
  return taken;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
