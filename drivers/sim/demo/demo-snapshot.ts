// Energy counters of every meter in the demo, and the assembly of the public state.
import { socWindowWh } from './battery-model';
import type { DemoControls } from './demo-controls';
import type { Dispatch } from './demo-dispatch';
import type { DemoEnvironment } from './demo-environment';
import type { DemoState } from './demo-state';
import type { DemoTopology } from './demo-topology';
import { addPositive, counterWh, createEnergyCounter, type EnergyCounter } from './energy-counter';
import type { Weather } from './weather';

export interface DemoCounters {
  householdImport: EnergyCounter[];
  householdExport: EnergyCounter[];
  pvProduced: EnergyCounter[];
  communityImport: EnergyCounter[];
  batteryCharged: EnergyCounter;
  batteryDischarged: EnergyCounter;
  gridImport: EnergyCounter;
  gridExport: EnergyCounter;
  /** Aligned with topology.switchableLoads. */
  switchableLoad: EnergyCounter[];
}

export function createDemoCounters(topology: DemoTopology): DemoCounters {
  const many = (n: number): EnergyCounter[] => Array.from({ length: n }, createEnergyCounter);
  return {
    householdImport: many(topology.households.length),
    householdExport: many(topology.households.length),
    pvProduced: many(topology.pv.length),
    communityImport: many(topology.communityLoads.length),
    batteryCharged: createEnergyCounter(),
    batteryDischarged: createEnergyCounter(),
    gridImport: createEnergyCounter(),
    gridExport: createEnergyCounter(),
    switchableLoad: many(topology.switchableLoads.length),
  };
}

export function integrateCounters(
  c: DemoCounters,
  d: Dispatch,
  env: DemoEnvironment,
  durationMs: number,
  switchableLoadW: readonly number[] = [],
): void {
  switchableLoadW.forEach((w, i) => addPositive(at(c.switchableLoad, i), w, durationMs));
  d.householdNetW.forEach((netW, i) => {
    addPositive(at(c.householdImport, i), netW, durationMs);
    addPositive(at(c.householdExport, i), -netW, durationMs);
  });
  d.pvW.forEach((powerW, i) => addPositive(at(c.pvProduced, i), powerW, durationMs));
  env.communityLoadW.forEach((loadW, i) =>
    addPositive(at(c.communityImport, i), loadW, durationMs),
  );
  addPositive(c.batteryDischarged, d.batteryW, durationMs);
  addPositive(c.batteryCharged, -d.batteryW, durationMs);
  addPositive(c.gridImport, d.gridW, durationMs);
  addPositive(c.gridExport, -d.gridW, durationMs);
}

function at<T>(items: T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`internal: no counter at index ${i}`);
  return item;
}

export interface SnapshotInput {
  simNowMs: number;
  topology: DemoTopology;
  env: DemoEnvironment;
  dispatch: Dispatch;
  counters: DemoCounters;
  storedWh: number;
  controls: DemoControls;
  weather: Weather;
}

export function buildDemoState(s: SnapshotInput): DemoState {
  const { topology, env, dispatch: d, counters: c } = s;
  const b = topology.battery.physics;
  const outage = s.controls.outage;
  const window = s.controls.battery;
  const households: DemoState['households'] = {};
  topology.households.forEach((h, i) => {
    households[h.meterId] = {
      memberId: h.memberId,
      loadW: env.householdLoadW[i] ?? 0,
      pvW: d.householdPvW[i] ?? 0,
      netW: d.householdNetW[i] ?? 0,
      unservedW: d.householdUnservedW[i] ?? 0,
      critical: h.critical,
      energyImportWh: counterWh(at(c.householdImport, i)),
      energyExportWh: counterWh(at(c.householdExport, i)),
    };
  });
  const pv: DemoState['pv'] = {};
  topology.pv.forEach((p, i) => {
    pv[p.id] = {
      memberId: p.memberId,
      powerW: d.pvW[i] ?? 0,
      energyProducedWh: counterWh(at(c.pvProduced, i)),
      ratedPowerW: p.physics.ratedAcPowerW,
      limitPct: s.controls.pvLimitPct[i]?.value ?? null,
      limitRevertAtMs: s.controls.pvLimitPct[i]?.revertAtMs ?? null,
    };
  });
  const community: DemoState['community'] = {};
  topology.communityLoads.forEach((load, i) => {
    community[load.memberId] = {
      loadW: env.communityLoadW[i] ?? 0,
      unservedW: d.communityUnservedW[i] ?? 0,
      critical: load.critical,
      energyImportWh: counterWh(at(c.communityImport, i)),
    };
  });
  const switchableLoads: DemoState['switchableLoads'] = {};
  topology.switchableLoads.forEach((load, i) => {
    const on = s.controls.loadOn[i] ?? true;
    switchableLoads[load.id] = {
      memberId: load.memberId,
      critical: load.critical,
      on,
      powerW: on ? load.powerW : 0,
      ratedPowerW: load.powerW,
      energyWh: counterWh(at(c.switchableLoad, i)),
    };
  });
  return {
    simNowMs: s.simNowMs,
    households,
    pv,
    community,
    switchableLoads,
    battery: {
      deviceId: topology.battery.id,
      powerW: d.batteryW,
      socPct: reportedSocPct(b, s.storedWh),
      capacityWh: b.capacityWh,
      maxChargeW: b.maxChargeW,
      maxDischargeW: b.maxDischargeW,
      minSocPct: b.minSocPct,
      maxSocPct: b.maxSocPct,
      energyChargedWh: counterWh(c.batteryCharged),
      energyDischargedWh: counterWh(c.batteryDischarged),
      mode: d.batteryMode,
      setpointW: window && window.value.minW === window.value.maxW ? window.value.minW : null,
      setpointRevertAtMs: window?.revertAtMs ?? null,
      window: window ? { ...window.value } : null,
      chargeCapW: Math.min(b.maxChargeW, s.controls.chargeCapW ?? b.maxChargeW),
      reservePct: Math.max(b.minSocPct, s.controls.reservePct ?? b.minSocPct),
      limitedBy: d.batteryLimitedBy,
    },
    grid: {
      deviceId: topology.gridMeterId,
      powerW: d.gridW,
      energyImportWh: counterWh(c.gridImport),
      energyExportWh: counterWh(c.gridExport),
      voltageV: outage ? 0 : env.voltageV,
      frequencyHz: outage ? 0 : env.frequencyHz,
      outage,
    },
    environment: {
      weather: s.weather,
      sunElevationDeg: Math.round(env.sunElevationDeg * 100) / 100,
      irradianceWPerM2: Math.round(env.irradianceWPerM2),
      cloudCoverPct: env.cloudCoverPct,
    },
    unservedW: d.unservedW,
    curtailedPvW: d.curtailedPvW,
    islandCapacityW: d.islandCapacityW,
  };
}

/** SoC to 0.01 %, never rounded out of the window it is actually in. */
export function reportedSocPct(b: DemoTopology['battery']['physics'], storedWh: number): number {
  const pct = Math.round((storedWh / b.capacityWh) * 10_000) / 100;
  const { minWh, maxWh } = socWindowWh(b);
  // The window edges are only ever crossed by float dust (power is floored to stay inside).
  if (storedWh >= minWh - 1e-6 && storedWh <= maxWh + 1e-6)
    return Math.min(b.maxSocPct, Math.max(b.minSocPct, pct));
  return Math.min(100, Math.max(0, pct));
}
