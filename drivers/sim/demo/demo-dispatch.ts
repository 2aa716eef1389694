// Who supplies the site during one segment of time: the battery (by its mode), the grid
// (whatever is left), and in an outage nobody but the battery. Every number is an integer
// W and the grid term is derived from the rounded parts, so the balance holds exactly:
//   Σ household netW + Σ community loadW = gridW + batteryW + unservedW
import { limitBatteryPower, type BatteryLimit } from './battery-model';
import type { BatteryPhysics } from './demo-physics-config';
import type { DemoEnvironment } from './demo-environment';
import type { DemoTopology } from './demo-topology';

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
  /** Active external setpoint (> 0 discharge), or null for self-consumption. */
  setpointW: number | null;
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
  curtailedPvW: number;
}

export function dispatch(input: DispatchInput): Dispatch {
  const { env, topology, battery, storedWh, outage, durationMs } = input;
  const pvW = [...env.pvAvailableW];
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
  } else if (input.setpointW !== null) {
    batteryMode = 'setpoint';
    requestW = input.setpointW;
  } else {
    // Self-consumption, like a hybrid inverter with its own grid meter: aim for zero.
    batteryMode = 'self-consumption';
    requestW = Math.round(demandW / SELF_CONSUMPTION_STEP_W) * SELF_CONSUMPTION_STEP_W;
  }
  const decision = limitBatteryPower(battery, storedWh, requestW, durationMs);

  let unservedW = 0;
  let curtailedPvW = 0;
  if (outage) {
    const gapW = requestW - decision.powerW;
    // Deficit: load that nobody supplies. Surplus: PV that nobody can take; island
    // inverters curtail it (frequency shift), so it is never produced.
    if (gapW > 0) unservedW = gapW;
    else if (gapW < 0) {
      curtailedPvW = curtail(pvW, -gapW);
      householdNetW = netOf(topology, env, pvW);
    }
  }
  // The grid term comes from the rounded parts, so the balance is exact in integers.
  const gridW = outage ? 0 : sum(householdNetW) + communityW - decision.powerW;
  return {
    pvW,
    householdPvW: topology.households.map((h) => sumAt(pvW, h.pvIndices)),
    householdNetW,
    batteryW: decision.powerW,
    batteryLimitedBy: decision.limitedBy,
    batteryMode,
    gridW,
    unservedW,
    curtailedPvW,
  };
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
