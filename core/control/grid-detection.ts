// Is the grid there? Judged from the grid meter, which sits on the grid side of the
// connection point: voltage and frequency inside the configured range → present; outside
// (an outage reads 0 V / 0 Hz) → lost. Without fresh meter data the answer is "unknown",
// unless the battery inverter reports that it is grid-forming/disconnected (no canonical
// point exists for this yet; the station passes it in as `inverterIslanded` when a device
// profile offers it). A communication failure alone never starts island mode: shedding
// households because a meter stopped answering would be worse than waiting.
import type { IslandConfig } from './control-config';
import type { ControlSiteView } from './control-snapshot';

export type GridLossReason =
  'voltage_low' | 'voltage_high' | 'frequency_low' | 'frequency_high' | 'inverter_islanded';

export type GridVerdict =
  { kind: 'present' } | { kind: 'lost'; reason: GridLossReason } | { kind: 'unknown' };

/**
 * `trip` ranges decide whether a present grid is lost; the tighter `return` ranges decide
 * whether a lost grid is back (enter-service criteria), so a marginal grid does not flap.
 */
export function judgeGrid(
  site: ControlSiteView,
  config: IslandConfig,
  ranges: 'trip' | 'return',
  inverterIslanded: boolean | null,
): GridVerdict {
  if (!site.gridMeterFresh || site.gridVoltageV === null || site.gridFrequencyHz === null) {
    return inverterIslanded === true
      ? { kind: 'lost', reason: 'inverter_islanded' }
      : { kind: 'unknown' };
  }
  const trip = ranges === 'trip';
  const vMin = trip ? config.voltageMinV : config.returnVoltageMinV;
  const vMax = trip ? config.voltageMaxV : config.returnVoltageMaxV;
  const fMin = trip ? config.frequencyMinHz : config.returnFrequencyMinHz;
  const fMax = trip ? config.frequencyMaxHz : config.returnFrequencyMaxHz;
  const v = site.gridVoltageV;
  const f = site.gridFrequencyHz;
  if (v < vMin) return { kind: 'lost', reason: 'voltage_low' };
  if (v > vMax) return { kind: 'lost', reason: 'voltage_high' };
  if (f < fMin) return { kind: 'lost', reason: 'frequency_low' };
  if (f > fMax) return { kind: 'lost', reason: 'frequency_high' };
  return { kind: 'present' };
}
