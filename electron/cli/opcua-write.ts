// microgrid write opc.tcp://… --node ID --value V: one OPC UA variable, checked, confirmed
// on a terminal, written and read back.
import {
  executeOpcuaWrite,
  planOpcuaWrite,
  type OpcuaWriteOutcome,
  type OpcuaWritePlan,
} from '../../drivers/opcua/write';
import { CliError, printJson, UsageError } from './cli-io';
import type { CommandContext } from './command';
import { opcuaCliError } from './opcua-errors';
import { sessionJson, valueText } from './opcua-format';
import { checkNodeIds, refuseFlags, withOpcuaSession } from './opcua-options';
import type { Terminal } from './progress';

export const OPCUA_WRITE_HELP = `For an opc.tcp:// URL, writes one variable, converted to the node's data type (numbers,
true/false, an enumeration's name or number, text). Refused before anything is written:
unknown and read-only nodes, values that do not fit the type, NaN and Infinity, and values
outside the node's EURange.
  --node ID        e.g. 'ns=2;s=BatteryContainer.PowerSetpointW' (quoted for the shell)
  --value V        e.g. true, Maintenance, 5000; negative numbers with "=": --value=-20000
  --json           print {endpoint, security, serverCertificate, nodeId, displayName,
                   dataType, range, oldValue, newValue, readBack, matches}`;

const oldText = (p: OpcuaWritePlan) => valueText(p.oldValue, p.oldSymbol);
const newText = (p: OpcuaWritePlan) => valueText(p.newValue, p.newSymbol);

function outcomeJson(o: OpcuaWriteOutcome) {
  const p = o.plan;
  return {
    nodeId: p.nodeId,
    displayName: p.displayName,
    dataType: p.dataType,
    range: p.range,
    oldValue: p.oldValue,
    newValue: p.newValue,
    readBack: o.readBack,
    matches: o.matches,
  };
}

export async function runOpcuaWrite(
  url: string,
  { values, io }: CommandContext,
  terminal: Terminal,
): Promise<number> {
  refuseFlags(values, ['model', 'point'], 'for Modbus URLs; OPC UA nodes are named with --node');
  const node = values.node;
  if (typeof node !== 'string')
    throw new UsageError('write of an OPC UA server needs one --node ID');
  const value = values.value;
  if (typeof value !== 'string') throw new UsageError('write needs --value');
  checkNodeIds([node]);
  return withOpcuaSession(url, values, io, async (s) => {
    const plan = await planOpcuaWrite(s, { nodeId: node, value });
    if (!plan.ok) throw opcuaCliError(plan.error);
    const p = plan.value;
    if (!values.yes && io.isTty && terminal.stdinIsTty) {
      const question = `Write ${p.nodeId} (${p.displayName}) on ${s.endpointUrl}: ${oldText(p)} → ${newText(p)}?`;
      if (!(await terminal.confirm(question))) throw new CliError('nothing written: not confirmed');
    }
    const outcome = await executeOpcuaWrite(s, p);
    if (!outcome.ok) throw opcuaCliError(outcome.error);
    const o = outcome.value;
    const now = valueText(o.readBack, o.readBackSymbol);
    if (values.json) printJson(io, { ...sessionJson(s), ...outcomeJson(o) });
    else
      io.out(
        `${p.nodeId} (${p.displayName}): ${oldText(p)} → ${newText(p)} written; the server now reports ${now}`,
      );
    if (!o.matches)
      throw new CliError(`the server accepted ${newText(p)} for ${p.nodeId} but reports ${now}`);
    return 0;
  });
}
