// Is the microgrid connected to a healthy grid? Two witnesses:
// - the grid meter, on the grid side of the connection point: voltage and frequency inside
//   the configured ranges, or outside (an outage reads 0 V / 0 Hz) → lost with that reason;
// - the battery inverter's gridConnected point (SunSpec 122 ECPConn, see
//   drivers/devices/sunspec-canonical-map.ts), passed in as `inverterIslanded`.
// Either one saying "lost" is enough. The meter's reason comes first when both say it (an
// outage is reported as voltage_low, as before). The inverter wins over a healthy meter:
// when it has opened the connection point and forms the grid, the meter on the grid side
// still reads the utility's healthy grid, yet the microgrid behind the breaker is an island
// and must be run as one (shed, curtail, reserve) until the inverter reconnects — so the
// station also waits for it before counting the grid back. The inverter saying "connected"
// cannot overrule a meter that reads no grid (an inverter connected to a dead grid would
// trip on its own within seconds), nor make an unknown grid present: the enter-service
// criteria need the meter's voltage and frequency.
// A communication failure alone never starts island mode: without fresh meter data and
// without a fresh inverter report the answer is "unknown" (a stale inverter reads null).
// Shedding households because a device stopped answering would be worse than waiting.
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
  const meter = judgeMeter(site, config, ranges);
  if (meter.kind === 'lost') return meter;
  return inverterIslanded === true ? { kind: 'lost', reason: 'inverter_islanded' } : meter;
}

function judgeMeter(
  site: ControlSiteView,
  config: IslandConfig,
  ranges: 'trip' | 'return',
): GridVerdict {
  if (!site.gridMeterFresh || site.gridVoltageV === null || site.gridFrequencyHz === null)
    return { kind: 'unknown' };
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
