// Which SunSpec points feed which canonical point, per device role. Sources are tried in
// order (`model:point` with fallbacks, as evcc does), so a battery that offers model 802
// reports its SoC from there and one with only model 124 from ChaState.
//
// Meter sign: SunSpec meter models (201–204) report W > 0 for power delivered to the
// site (import). That matches the station's convention for the grid meter and household
// meters; vendors that invert it need a quirk in their profile (issue 3).
import type { PointName } from '../../core/points/point-names';
import type { DeviceRole } from '../../core/site/site-types';

export interface PointSource {
  modelIds: readonly number[];
  point: string;
}

export type CanonicalMap = Partial<Record<PointName, readonly PointSource[]>>;

const METERS = [201, 202, 203, 204, 211, 212, 213, 214];
const INVERTERS = [101, 102, 103, 111, 112, 113];

const meter: CanonicalMap = {
  powerW: [{ modelIds: METERS, point: 'W' }],
  voltageV: [{ modelIds: METERS, point: 'PhV' }],
  frequencyHz: [{ modelIds: METERS, point: 'Hz' }],
  energyImportWh: [{ modelIds: METERS, point: 'TotWhImp' }],
  energyExportWh: [{ modelIds: METERS, point: 'TotWhExp' }],
};

export const SUNSPEC_CANONICAL_MAP: Record<DeviceRole, CanonicalMap> = {
  'grid-meter': meter,
  'household-meter': meter,
  'switchable-load': meter,
  'pv-inverter': {
    powerW: [{ modelIds: INVERTERS, point: 'W' }],
    energyProducedWh: [{ modelIds: INVERTERS, point: 'WH' }],
    voltageV: [{ modelIds: INVERTERS, point: 'PhVphA' }],
    frequencyHz: [{ modelIds: INVERTERS, point: 'Hz' }],
    ratedPowerW: [{ modelIds: [120], point: 'WRtg' }],
    powerLimitPct: [{ modelIds: [123], point: 'WMaxLimPct' }],
  },
  battery: {
    powerW: [{ modelIds: INVERTERS, point: 'W' }],
    socPct: [
      { modelIds: [802], point: 'SoC' },
      { modelIds: [124], point: 'ChaState' },
    ],
    capacityWh: [
      { modelIds: [802], point: 'WHRtg' },
      { modelIds: [120], point: 'WHRtg' },
    ],
    maxChargeW: [
      { modelIds: [802], point: 'WChaRteMax' },
      { modelIds: [124], point: 'WChaMax' },
    ],
    maxDischargeW: [
      { modelIds: [802], point: 'WDisChaRteMax' },
      { modelIds: [120], point: 'WMaxDisChaRte' },
    ],
    ratedPowerW: [{ modelIds: [120], point: 'WRtg' }],
    frequencyHz: [{ modelIds: INVERTERS, point: 'Hz' }],
  },
};

/** The model ids a role's map can use, to read only those models each poll. */
export function modelsUsed(map: CanonicalMap): Set<number> {
  const ids = new Set<number>();
  for (const sources of Object.values(map))
    for (const s of sources ?? []) s.modelIds.forEach((id) => ids.add(id));
  return ids;
}
