// How often each canonical point is read. Fast: what control and the live view act on
// every second (power, state of charge, frequency, voltage, the power limit in force, which
// a revert timer may change at any moment). Slow: what changes over minutes or never
// (energy counters, ratings). A Record over every point name, so a new canonical point
// cannot be added without deciding its class.
import type { PointName } from '../../core/points/point-names';
import type { PollClass } from '../modbus/poll-types';

export const SUNSPEC_POLL_CLASSES: Readonly<Record<PointName, PollClass>> = {
  powerW: 'fast',
  voltageV: 'fast',
  frequencyHz: 'fast',
  socPct: 'fast',
  powerLimitPct: 'fast',
  // Island detection judges it every cycle.
  gridConnected: 'fast',
  energyImportWh: 'slow',
  energyExportWh: 'slow',
  energyProducedWh: 'slow',
  capacityWh: 'slow',
  ratedPowerW: 'slow',
  maxChargeW: 'slow',
  maxDischargeW: 'slow',
};

/** Identity (model 1) is nameplate data: read slowly, to notice a swapped device. */
export const IDENTITY_POLL_CLASS: PollClass = 'slow';
