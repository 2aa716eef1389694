// What the demo microgrid looks like at one instant, in the units the station's points use.
// Signs as in core/points/point-names.ts. Powers are integer W and satisfy exactly:
//   Σ households[*].netW + Σ community[*].loadW = grid.powerW + battery.powerW + unservedW
// Energy counters are integer Wh, monotonic, and lose nothing to rounding.
import type { BatteryLimit } from './battery-model';
import type { BatteryMode } from './demo-dispatch';
import type { Weather } from './weather';

export interface DemoHouseholdState {
  memberId: string;
  /** Demand of the household in W (≥ 0). */
  loadW: number;
  /** Rooftop PV behind the meter in W (≥ 0). */
  pvW: number;
  /** At the meter: loadW − pvW; > 0 draws from the microgrid, < 0 feeds in. */
  netW: number;
  /** Part of netW nobody supplied (outage with the battery at a limit); 0 otherwise. */
  unservedW: number;
  critical: boolean;
  energyImportWh: number;
  energyExportWh: number;
}

export interface DemoPvState {
  memberId: string;
  powerW: number;
  energyProducedWh: number;
  ratedPowerW: number;
  /** Output cap in force (% of ratedPowerW, from model 123 WMaxLimPct), null = none. */
  limitPct: number | null;
  /** Simulated time at which the cap lapses; null = never or no cap. */
  limitRevertAtMs: number | null;
}

export interface DemoCommunityLoadState {
  loadW: number;
  unservedW: number;
  critical: boolean;
  energyImportWh: number;
}

export interface DemoSwitchableLoadState {
  memberId: string;
  critical: boolean;
  on: boolean;
  /** Drawn now (part of the member's load): ratedPowerW when on, 0 when off. */
  powerW: number;
  ratedPowerW: number;
  energyWh: number;
}

export interface DemoBatteryState {
  deviceId: string;
  /** > 0 discharge, < 0 charge. */
  powerW: number;
  socPct: number;
  capacityWh: number;
  maxChargeW: number;
  maxDischargeW: number;
  minSocPct: number;
  maxSocPct: number;
  energyChargedWh: number;
  energyDischargedWh: number;
  /** What the battery is doing now; 'grid-forming' while the grid is out. */
  mode: BatteryMode;
  /** The active external setpoint as requested (not clamped), null in self-consumption. */
  setpointW: number | null;
  /** Simulated time at which the setpoint lapses unless re-sent. */
  setpointRevertAtMs: number | null;
  /** The window the station holds the battery in (> 0 discharge), null = none. */
  window: { minW: number; maxW: number } | null;
  /** Charge ceiling in force (WChaMax), W. */
  chargeCapW: number;
  /** SoC kept back while grid-connected (MinRsvPct, at least minSocPct). */
  reservePct: number;
  /** Why powerW falls short of what the mode asked for; null when it does not. */
  limitedBy: BatteryLimit | null;
}

export interface DemoGridState {
  deviceId: string;
  /** At the connection point: > 0 import, < 0 export; 0 during an outage. */
  powerW: number;
  energyImportWh: number;
  energyExportWh: number;
  /** 0 during an outage: the meter is on the grid side of the transfer switch. */
  voltageV: number;
  frequencyHz: number;
  outage: boolean;
}

export interface DemoEnvironmentState {
  weather: Weather;
  sunElevationDeg: number;
  irradianceWPerM2: number;
  cloudCoverPct: number;
}

export interface DemoState {
  simNowMs: number;
  /** Keyed by household meter device id. */
  households: Record<string, DemoHouseholdState>;
  /** Keyed by PV inverter device id. */
  pv: Record<string, DemoPvState>;
  /**
   * Keyed by member id (kind 'community'): the community's own loads (hall, street lights),
   * behind no household's meter; a meter of that member, if the site has one, reads them.
   */
  community: Record<string, DemoCommunityLoadState>;
  /** Keyed by device id: loads the station can switch, already counted in their owner's load. */
  switchableLoads: Record<string, DemoSwitchableLoadState>;
  battery: DemoBatteryState;
  grid: DemoGridState;
  environment: DemoEnvironmentState;
  /** Demand nobody supplies (only in an outage, when the battery is at a limit). */
  unservedW: number;
  /** PV held back: by a power limit, or in an outage because nobody could take it. */
  curtailedPvW: number;
  /** In an outage, what the island could supply (battery maximum + available PV); else null. */
  islandCapacityW: number | null;
}
