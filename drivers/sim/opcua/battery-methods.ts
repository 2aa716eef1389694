// The battery container's methods: ResetAlarms() and AcknowledgeAlarm(Bit: Byte), with
// typed output arguments, as a PLC would offer them for the alarm flags.
import { DataType, StatusCodes, Variant, type Namespace, type UAObject } from 'node-opcua';
import { BATTERY_NODES } from './battery-nodes';
import type { BatteryContainerModel } from './battery-container-model';

export function addBatteryMethods(
  ns: Namespace,
  container: UAObject,
  model: BatteryContainerModel,
): void {
  const reset = ns.addMethod(container, {
    browseName: 'ResetAlarms',
    nodeId: BATTERY_NODES.resetAlarms,
    description: 'Clears every latched alarm; returns the flags that were active',
    inputArguments: [],
    outputArguments: [{ name: 'ClearedAlarms', dataType: DataType.UInt32 }],
  });
  // node-opcua tells promise methods from callback ones by their parameter count (2).
  reset.bindMethod(async (_inputs: Variant[], _context: unknown) => ({
    statusCode: StatusCodes.Good,
    outputArguments: [new Variant({ dataType: DataType.UInt32, value: model.resetAlarms() })],
  }));
  const acknowledge = ns.addMethod(container, {
    browseName: 'AcknowledgeAlarm',
    nodeId: BATTERY_NODES.acknowledgeAlarm,
    description: 'Clears one alarm flag (bit 0–31); returns the flags still active',
    inputArguments: [{ name: 'Bit', dataType: DataType.Byte }],
    outputArguments: [{ name: 'ActiveAlarms', dataType: DataType.UInt32 }],
  });
  acknowledge.bindMethod(async (inputs: Variant[], _context: unknown) => {
    const bit = inputs[0]?.value as number | undefined;
    if (bit === undefined || bit > 31) return { statusCode: StatusCodes.BadInvalidArgument };
    return {
      statusCode: StatusCodes.Good,
      outputArguments: [
        new Variant({ dataType: DataType.UInt32, value: model.acknowledgeAlarm(bit) }),
      ],
    };
  });
}
