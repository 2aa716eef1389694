// Where the battery container's nodes are: a stable namespace URI and string node ids, so
// site files and tests can name them whatever index the server gives the namespace.

export const BATTERY_NAMESPACE_URI = 'urn:microgrid-station:sim:battery-container';

/** Node id strings without the namespace part, e.g. `s=BatteryContainer.Alarms`. */
export const BATTERY_NODES = {
  container: 's=BatteryContainer',
  stateOfChargePct: 's=BatteryContainer.StateOfChargePct',
  activePowerW: 's=BatteryContainer.ActivePowerW',
  powerSetpointW: 's=BatteryContainer.PowerSetpointW',
  breakerClosed: 's=BatteryContainer.BreakerClosed',
  alarms: 's=BatteryContainer.Alarms',
  operatingMode: 's=BatteryContainer.OperatingMode',
  reserveSocPct: 's=BatteryContainer.ReserveSocPct',
  setpointTimeoutS: 's=BatteryContainer.SetpointTimeoutS',
  energyChargedWh: 's=BatteryContainer.EnergyChargedWh',
  energyDischargedWh: 's=BatteryContainer.EnergyDischargedWh',
  nameplate: 's=BatteryContainer.Nameplate',
  serialNumber: 's=BatteryContainer.Nameplate.SerialNumber',
  capacityWh: 's=BatteryContainer.Nameplate.CapacityWh',
  ratedPowerW: 's=BatteryContainer.Nameplate.RatedPowerW',
  resetAlarms: 's=BatteryContainer.ResetAlarms',
  acknowledgeAlarm: 's=BatteryContainer.AcknowledgeAlarm',
} as const;

export type BatteryNodeName = keyof typeof BATTERY_NODES;
