// The battery container's address space: Objects/BatteryContainer in its own namespace
// with stable string node ids ("ns=<i>;s=BatteryContainer.PowerSetpointW"; the index can
// change between servers, the namespace URI never does). Values are bound to the model,
// and writes are validated here as a PLC would (range, mode), independently of what a
// client checks before writing.
import {
  DataType,
  StatusCodes,
  Variant,
  VariantArrayType,
  standardUnits,
  type AddressSpace,
  type Namespace,
  type StatusCode,
  type UAObject,
} from 'node-opcua';
import { addBatteryMethods } from './battery-methods';
import { BATTERY_NAMESPACE_URI, BATTERY_NODES, type BatteryNodeName } from './battery-nodes';
import {
  OPERATING_MODES,
  type BatteryContainerModel,
  type BatteryContainerState,
} from './battery-container-model';

// Re-exported: tests and pollers name the nodes through this module.
export { BATTERY_NAMESPACE_URI, BATTERY_NODES, type BatteryNodeName } from './battery-nodes';

/** Counts client writes the server received (accepted or refused), for tests. */
export interface WriteLog {
  count: number;
}

const READ = 'CurrentRead';
const READ_WRITE = 'CurrentRead | CurrentWrite';

type Getter = (s: BatteryContainerState) => number | boolean | bigint;

export function buildBatteryContainer(
  addressSpace: AddressSpace,
  model: BatteryContainerModel,
  writes: WriteLog,
): Namespace {
  const ns = addressSpace.registerNamespace(BATTERY_NAMESPACE_URI);
  const rated = model.config.ratedPowerW;
  const container = ns.addObject({
    browseName: 'BatteryContainer',
    nodeId: BATTERY_NODES.container,
    organizedBy: addressSpace.rootFolder.objects,
    description: 'Community battery container (simulated PLC)',
  });
  const read = (dataType: DataType, get: Getter) => ({
    get: () =>
      new Variant({
        dataType,
        arrayType: VariantArrayType.Scalar,
        value: valueFor(dataType, get(model.state())),
      }),
  });
  const readWrite = (dataType: DataType, get: Getter, set: (v: Variant) => StatusCode) => ({
    ...read(dataType, get),
    set: (variant: Variant) => {
      writes.count += 1;
      return set(variant);
    },
  });

  const analog = (
    name: BatteryNodeName,
    browseName: string,
    dataType: DataType,
    range: { low: number; high: number },
    units: (typeof standardUnits)[keyof typeof standardUnits] | null,
    value: ReturnType<typeof read>,
    writable: boolean,
  ) =>
    ns.addAnalogDataItem({
      componentOf: container,
      browseName,
      nodeId: BATTERY_NODES[name],
      dataType,
      engineeringUnitsRange: range,
      ...(units ? { engineeringUnits: units } : {}),
      accessLevel: writable ? READ_WRITE : READ,
      userAccessLevel: writable ? READ_WRITE : READ,
      value,
    });

  analog(
    'stateOfChargePct',
    'StateOfChargePct',
    DataType.Double,
    { low: 0, high: 100 },
    standardUnits.percent,
    read(DataType.Double, (s) => s.socPct),
    false,
  );
  analog(
    'activePowerW',
    'ActivePowerW',
    DataType.Double,
    { low: -rated, high: rated },
    standardUnits.watt,
    read(DataType.Double, (s) => s.activePowerW),
    false,
  );
  analog(
    'powerSetpointW',
    'PowerSetpointW',
    DataType.Double,
    { low: -rated, high: rated },
    standardUnits.watt,
    readWrite(
      DataType.Double,
      (s) => s.powerSetpointW,
      (v) => {
        const w = v.value as number;
        if (!Number.isFinite(w) || Math.abs(w) > rated) return StatusCodes.BadOutOfRange;
        model.setPowerSetpointW(w);
        return StatusCodes.Good;
      },
    ),
    true,
  );
  analog(
    'reserveSocPct',
    'ReserveSocPct',
    DataType.UInt16,
    { low: 0, high: 100 },
    standardUnits.percent,
    readWrite(
      DataType.UInt16,
      (s) => s.reserveSocPct,
      (v) => {
        const pct = v.value as number;
        if (pct > 100) return StatusCodes.BadOutOfRange;
        model.setReserveSocPct(pct);
        return StatusCodes.Good;
      },
    ),
    true,
  );

  const variable = (
    name: BatteryNodeName,
    browseName: string,
    dataType: DataType | ReturnType<Namespace['addEnumerationType']>,
    value: ReturnType<typeof read>,
    writable: boolean,
    parent: UAObject = container,
  ) =>
    ns.addVariable({
      componentOf: parent,
      browseName,
      nodeId: BATTERY_NODES[name],
      dataType: typeof dataType === 'number' ? DataType[dataType] : dataType,
      accessLevel: writable ? READ_WRITE : READ,
      userAccessLevel: writable ? READ_WRITE : READ,
      value,
    });

  variable(
    'breakerClosed',
    'BreakerClosed',
    DataType.Boolean,
    readWrite(
      DataType.Boolean,
      (s) => s.breakerClosed,
      (v) => {
        model.setBreakerClosed(v.value === true);
        return StatusCodes.Good;
      },
    ),
    true,
  );
  variable(
    'alarms',
    'Alarms',
    DataType.UInt32,
    read(DataType.UInt32, (s) => s.alarms),
    false,
  );
  const modeType = ns.addEnumerationType({
    browseName: 'OperatingModeEnum',
    enumeration: [...OPERATING_MODES],
  });
  variable(
    'operatingMode',
    'OperatingMode',
    modeType,
    readWrite(
      DataType.Int32,
      (s) => OPERATING_MODES.indexOf(s.operatingMode),
      (v) => {
        const mode = OPERATING_MODES[v.value as number];
        if (!mode) return StatusCodes.BadOutOfRange;
        model.setOperatingMode(mode);
        return StatusCodes.Good;
      },
    ),
    true,
  );
  variable(
    'setpointTimeoutS',
    'SetpointTimeoutS',
    DataType.UInt32,
    readWrite(
      DataType.UInt32,
      (s) => s.setpointTimeoutS,
      (v) => {
        model.setSetpointTimeoutS(v.value as number);
        return StatusCodes.Good;
      },
    ),
    true,
  );
  variable(
    'energyChargedWh',
    'EnergyChargedWh',
    DataType.UInt64,
    read(DataType.UInt64, (s) => BigInt(Math.round(s.energyChargedWh))),
    false,
  );
  variable(
    'energyDischargedWh',
    'EnergyDischargedWh',
    DataType.UInt64,
    read(DataType.UInt64, (s) => BigInt(Math.round(s.energyDischargedWh))),
    false,
  );

  const nameplate = ns.addObject({
    componentOf: container,
    browseName: 'Nameplate',
    nodeId: BATTERY_NODES.nameplate,
  });
  const constant = (dataType: DataType, value: number | string) => ({
    get: () => new Variant({ dataType, value }),
  });
  variable(
    'serialNumber',
    'SerialNumber',
    DataType.String,
    constant(DataType.String, model.config.serialNumber),
    false,
    nameplate,
  );
  variable(
    'capacityWh',
    'CapacityWh',
    DataType.Double,
    constant(DataType.Double, model.config.capacityWh),
    false,
    nameplate,
  );
  variable(
    'ratedPowerW',
    'RatedPowerW',
    DataType.Double,
    constant(DataType.Double, rated),
    false,
    nameplate,
  );

  addBatteryMethods(ns, container, model);
  return ns;
}

/** node-opcua wants 64-bit integers as [high, low] 32-bit words. */
function valueFor(dataType: DataType, value: number | boolean | bigint): unknown {
  if (typeof value !== 'bigint') return value;
  const high = Number(value >> 32n);
  const low = Number(value & 0xffffffffn);
  return dataType === DataType.UInt64 || dataType === DataType.Int64 ? [high, low] : Number(value);
}
