import { READ_TIMEOUT_MS } from '../../drivers/commissioning/modbus-target';
import {
  checkPointWrite,
  executePointWrite,
  planPointWrite,
  type PointWriteOutcome,
  type PointWritePlan,
} from '../../drivers/commissioning/write-point';
import { CliError, parseNumberFlag, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import {
  cliErrorFrom,
  processTerminal,
  timeoutFlag,
  urlArgument,
  withTarget,
  type Terminal,
} from './progress';
import { valueText } from './read-command';
import { isOpcuaUrl, OPCUA_HELP, OPCUA_ONLY, OPCUA_OPTIONS, refuseFlags } from './opcua-options';
import { OPCUA_WRITE_HELP, runOpcuaWrite } from './opcua-write';

const HELP = `
Usage: microgrid write URL --model ID --point NAME --value V [options]
       microgrid write opc.tcp://HOST:PORT --node ID --value V [options]

Writes one SunSpec point of the unit in URL in engineering units (the device's scale
factor is applied), then reads the model again and prints the value the device now
reports. Refused before anything is written: unknown models and points, read-only points,
and values outside the point's type or meaning (e.g. WMaxLimPct above 100 %).

Options:
  --model ID       e.g. 123 (immediate controls)
  --point NAME     e.g. WMaxLimPct; in a repeating group with its index: module[0].DCA
  --value V        a number in the point's units, an enum symbol or its number
                   (--value ENABLED), bitfield symbols joined by + (CHARGE+DiSCHARGE), or text
  --yes            do not ask. Without it, a terminal asks to confirm "old → new";
                   scripts (stdin or stdout not a terminal) are not asked
  --timeout-ms N   reply timeout per request (default ${READ_TIMEOUT_MS})
  --json           print {endpoint, unitId, modelId, point, address, words, units,
                   oldValue, newValue, readBack, matches}

Example:
  microgrid write modbus-tcp://127.0.0.1:1503?unit=1 --model 123 --point WMaxLimPct --value 50

${OPCUA_WRITE_HELP}

${OPCUA_HELP}

Example:
  microgrid write opc.tcp://127.0.0.1:4840 --node 'ns=2;s=BatteryContainer.PowerSetpointW' --value=-20000
`;

const withUnits = (text: string, units: string | null) => (units ? `${text} ${units}` : text);
const oldText = (p: PointWritePlan) => withUnits(valueText(p.oldValue, p.oldSymbol), p.units);
const newText = (p: PointWritePlan) => withUnits(valueText(p.newValue, p.newSymbol), p.units);

function outcomeJson(outcome: PointWriteOutcome) {
  const p = outcome.plan;
  return {
    endpoint: p.endpoint,
    unitId: p.unitId,
    modelId: p.modelId,
    point: p.point,
    address: p.address,
    words: p.words,
    units: p.units,
    oldValue: p.oldValue,
    newValue: p.newValue,
    readBack: outcome.readBack,
    matches: outcome.matches,
  };
}

function required(values: Record<string, unknown>, name: string): string {
  const raw = values[name];
  if (typeof raw !== 'string') throw new UsageError(`write needs --${name}`);
  return raw;
}

export function createWriteCommand(terminal: Terminal = processTerminal): Command {
  return {
    summary: 'write one SunSpec point (scaled) or OPC UA variable, then read it back',
    help: HELP,
    options: {
      ...COMMON_OPTIONS,
      model: { type: 'string' },
      point: { type: 'string' },
      value: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'timeout-ms': { type: 'string' },
      ...OPCUA_OPTIONS,
      node: { type: 'string' },
    },
    async run(context) {
      const { values, positionals, io } = context;
      const url = urlArgument(positionals, 'write');
      if (isOpcuaUrl(url)) return runOpcuaWrite(url, context, terminal);
      refuseFlags(values, OPCUA_ONLY, 'only for opc.tcp:// URLs');
      const modelId = parseNumberFlag('model', required(values, 'model'), 1, 65534, 'integer')!;
      const request = {
        modelId,
        point: required(values, 'point'),
        value: required(values, 'value'),
      };
      const timeoutMs = timeoutFlag(values['timeout-ms']) ?? READ_TIMEOUT_MS;
      // Refusals that need no device come first, so a typo never opens a connection.
      const checked = checkPointWrite(request);
      if (!checked.ok) throw cliErrorFrom(checked.error);
      return withTarget(url, async (target) => {
        const unit = target.unit(target.unitId, timeoutMs);
        const plan = await planPointWrite(unit, request);
        if (!plan.ok) throw cliErrorFrom(plan.error);
        const p = plan.value;
        const ask = !values.yes && io.isTty && terminal.stdinIsTty;
        if (ask) {
          const question = `Write model ${p.modelId} ${p.point} of unit ${p.unitId} at ${p.endpoint}: ${oldText(p)} → ${newText(p)}?`;
          if (!(await terminal.confirm(question)))
            throw new CliError('nothing written: not confirmed');
        }
        const outcome = await executePointWrite(unit, p);
        if (!outcome.ok) throw cliErrorFrom(outcome.error);
        const o = outcome.value;
        const now = withUnits(valueText(o.readBack, o.readBackSymbol), p.units);
        if (values.json) printJson(io, outcomeJson(o));
        else
          io.out(
            `model ${p.modelId} ${p.point}: ${oldText(p)} → ${newText(p)} written; the device now reports ${now}`,
          );
        if (!o.matches)
          throw new CliError(`the device accepted ${newText(p)} for ${p.point} but reports ${now}`);
        return 0;
      });
    },
  };
}

export const writeCommand = createWriteCommand();
