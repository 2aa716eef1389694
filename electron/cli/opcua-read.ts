// microgrid read opc.tcp://… --node ID…: current values of OPC UA nodes.
import { readValues, type ReadValue } from '../../drivers/opcua/read';
import { CliError, printJson, UsageError, type CliIo } from './cli-io';
import type { CommandContext } from './command';
import { opcuaCliError, problemJson } from './opcua-errors';
import { sessionJson, valueText } from './opcua-format';
import { checkNodeIds, refuseFlags, withOpcuaSession } from './opcua-options';

export const OPCUA_READ_HELP = `For an opc.tcp:// URL, prints the current value of each --node with its type, status and
source timestamp:
  --node ID        a node to read, e.g. 'ns=2;s=BatteryContainer.StateOfChargePct'
                   (quoted: a shell splits at ";"); repeat for more (up to 1000)
  --json           print {endpoint, security, serverCertificate, values: [{nodeId, value,
                   dataType, isArray, statusCode, sourceTimestamp, serverTimestamp,
                   problem}]}; 64-bit integers are strings`;

/** Every --node given, in order. */
export function nodeFlags(values: CommandContext['values'], command: string): string[] {
  const raw = values.node;
  const nodes = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (nodes.length === 0)
    throw new UsageError(
      `${command} of an OPC UA server needs --node ID, e.g. --node 'ns=2;s=Tag'`,
    );
  return nodes;
}

function printText(io: CliIo, values: ReadValue[]): void {
  const idWidth = Math.max(...values.map((v) => v.nodeId.length));
  const cells = values.map((v) => (v.problem ? '' : valueText(v.value)));
  const valueWidth = Math.max(...cells.map((c) => c.length));
  values.forEach((v, i) => {
    const type = v.dataType ? `${v.dataType}${v.isArray ? '[]' : ''}` : '';
    const when = v.sourceTimestamp ?? v.serverTimestamp ?? '';
    io.out(
      `${v.nodeId.padEnd(idWidth)}  ${cells[i]!.padEnd(valueWidth)}  ${type.padEnd(8)}  ${v.statusCode}  ${when}`.trimEnd(),
    );
  });
}

export async function runOpcuaRead(url: string, { values, io }: CommandContext): Promise<number> {
  refuseFlags(values, ['model'], 'for Modbus URLs; OPC UA nodes are named with --node');
  const nodes = nodeFlags(values, 'read');
  checkNodeIds(nodes);
  return withOpcuaSession(url, values, io, async (s) => {
    const read = await readValues(s, nodes);
    if (!read.ok) throw opcuaCliError(read.error);
    if (values.json)
      printJson(io, {
        ...sessionJson(s),
        values: read.value.map((v) => ({ ...v, problem: problemJson(v.problem) })),
      });
    else printText(io, read.value);
    const failed = read.value.filter((v) => v.problem);
    if (failed.length > 0)
      throw new CliError(
        `${failed.length} of ${read.value.length} nodes could not be read (${failed[0]!.problem!.message})`,
      );
    return 0;
  });
}
