import type { PointRow } from '../../drivers/commissioning/point-rows';
import {
  readSunspecDevice,
  type DeviceReading,
  type ModelReading,
} from '../../drivers/commissioning/read-device';
import { READ_TIMEOUT_MS } from '../../drivers/commissioning/modbus-target';
import { CliError, parseNumberFlag, printJson, type CliIo } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { cliErrorFrom, problemJson, timeoutFlag, urlArgument, withTarget } from './progress';
import { isOpcuaUrl, OPCUA_HELP, OPCUA_ONLY, OPCUA_OPTIONS, refuseFlags } from './opcua-options';
import { OPCUA_READ_HELP, runOpcuaRead } from './opcua-read';

const HELP = `
Usage: microgrid read URL [options]
       microgrid read opc.tcp://HOST:PORT --node ID [--node ID…] [options]

Discovers the SunSpec map of the unit in URL (at 40000, 0 or 50000) and prints every point
of every model, decoded: scale factors applied, with units, enum and bitfield values named
("4 (MPPT)"), repeating groups as module[0].DCA, module[1].DCA… A point the device does
not implement shows null. Writable points are marked rw (see microgrid write).

Options:
  --model ID       only this model, e.g. 203 (all occurrences if the device repeats it)
  --timeout-ms N   reply timeout per request (default ${READ_TIMEOUT_MS})
  --json           print JSON: {endpoint, unitId, baseAddress, models: [{id, name, label,
                   address, length, points: [{path, value, units, type, access, symbol}],
                   problem}]}; JSON lists the scale-factor points too

Example:
  microgrid read modbus-tcp://127.0.0.1:1505?unit=3 --model 203

${OPCUA_READ_HELP}

${OPCUA_HELP}

Example:
  microgrid read opc.tcp://127.0.0.1:4840 --node 'ns=2;s=BatteryContainer.StateOfChargePct'
`;

export function valueText(value: PointRow['value'], symbol: string | null): string {
  if (value === null) return 'null';
  return symbol === null ? String(value) : `${value} (${symbol})`;
}

function modelText(model: ModelReading): string[] {
  const title = `model ${model.id} ${model.name ?? ''}${model.label ? ` — ${model.label}` : ''} (at ${model.address}, L=${model.length})`;
  if (!model.points) return [title, `  could not be read: ${model.problem?.message ?? 'unknown'}`];
  // Scale factors are already applied to the values they scale; JSON keeps them.
  const rows = model.points.filter((p) => p.type !== 'sunssf');
  const pathWidth = Math.max(0, ...rows.map((p) => p.path.length));
  // Numbers (and null) line up on the right, enum symbols follow them; text runs left.
  const numeric = rows.map((p) => typeof p.value !== 'string');
  const numberWidth = Math.max(
    0,
    ...rows.filter((_, i) => numeric[i]).map((p) => String(p.value).length),
  );
  const cells = rows.map((p, i) =>
    numeric[i]
      ? String(p.value).padStart(numberWidth) + (p.symbol === null ? '' : ` (${p.symbol})`)
      : String(p.value),
  );
  const valueWidth = Math.max(0, ...cells.map((c) => c.length));
  return [
    title,
    ...rows.map((p, i) => {
      const units = (p.value === null ? '' : (p.units ?? '')).padEnd(8);
      const rw = p.access === 'rw' ? ' rw' : '';
      return `  ${p.path.padEnd(pathWidth)}  ${cells[i]!.padEnd(valueWidth)}  ${units}${rw}`.trimEnd();
    }),
  ];
}

function printText(io: CliIo, reading: DeviceReading): void {
  io.out(`unit ${reading.unitId} at ${reading.endpoint}, SunSpec at ${reading.baseAddress}`);
  for (const model of reading.models) io.out(['', ...modelText(model)].join('\n'));
}

function readingJson(reading: DeviceReading) {
  return {
    ...reading,
    models: reading.models.map((m) => ({ ...m, problem: problemJson(m.problem) })),
  };
}

export const readCommand: Command = {
  summary: 'print the decoded SunSpec points of a device, or OPC UA node values',
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    model: { type: 'string' },
    'timeout-ms': { type: 'string' },
    ...OPCUA_OPTIONS,
    node: { type: 'string', multiple: true },
  },
  async run(context) {
    const { values, positionals, io } = context;
    const url = urlArgument(positionals, 'read');
    if (isOpcuaUrl(url)) return runOpcuaRead(url, context);
    refuseFlags(values, OPCUA_ONLY, 'only for opc.tcp:// URLs');
    const modelId = parseNumberFlag(
      'model',
      values.model as string | undefined,
      1,
      65534,
      'integer',
    );
    const timeoutMs = timeoutFlag(values['timeout-ms']) ?? READ_TIMEOUT_MS;
    return withTarget(url, async (target) => {
      const result = await readSunspecDevice(target.unit(target.unitId, timeoutMs), { modelId });
      if (!result.ok) throw cliErrorFrom(result.error);
      const reading = result.value;
      if (values.json) printJson(io, readingJson(reading));
      else printText(io, reading);
      // Vendor models are expected; a model that failed to read is not.
      const failed = reading.models.filter((m) => m.problem && m.problem.code !== 'unknown_model');
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new CliError(
          `${failed.length} of ${reading.models.length} models could not be read (model ${first.id}: ${first.problem!.message})`,
        );
      }
      return 0;
    });
  },
};
