import { scanUnits, type ScannedUnit, type ScanReport } from '../../drivers/commissioning/scan';
import { parseUnitIds } from '../../drivers/commissioning/unit-ids';
import { CliError, printJson, type CliIo } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import {
  cliErrorFrom,
  processTerminal,
  problemJson,
  ProgressLine,
  timeoutFlag,
  urlArgument,
  withTarget,
  type Terminal,
} from './progress';

const HELP = `
Usage: microgrid scan URL [options]

Finds the Modbus unit ids that answer on the link of URL (a TCP device or gateway, a serial
port) and identifies each: SunSpec base address, models, and manufacturer, model, serial
number and version from the common model. A unit that answers but has no SunSpec map is
listed too: it may need a device profile. The unit in URL is ignored.

Units on one link are asked one at a time; an id that does not answer costs one timeout,
so scanning all of 1–247 over TCP takes about a minute (the typical ids come first).

Options:
  --units LIST     ids to probe, in this order, e.g. 1-10,126,200-204
                   (default: 1, 2, 3, 126, 200–204, 240, then the rest of 1–247)
  --timeout-ms N   wait this long for each id (default 300 on TCP, 500 on serial links)
  --json           print the result as JSON: {link, probed, total, complete, stopped, elapsedMs, units}

Ctrl+C stops the scan and prints what it found so far (exit code 130).

Example:
  microgrid scan modbus-tcp://192.168.1.20:502 --units 1-10,126
`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function unitText(unit: ScannedUnit): string[] {
  const head = `unit ${unit.unitId}`;
  if (!unit.sunspec)
    return [`${head}  answers Modbus, but ${unit.problem?.message ?? 'no SunSpec'}`];
  const id = unit.identity;
  const who = id
    ? [
        id.manufacturer,
        id.model,
        id.serialNumber && `serial ${id.serialNumber}`,
        id.version && `version ${id.version}`,
      ]
        .filter(Boolean)
        .join(' · ')
    : `identity unknown: ${unit.problem?.message ?? 'no common model'}`;
  const idWidth = Math.max(...unit.sunspec.models.map((m) => String(m.id).length));
  const nameWidth = Math.max(...unit.sunspec.models.map((m) => (m.name ?? 'vendor model').length));
  return [
    `${head}  ${who}`,
    `  SunSpec at ${unit.sunspec.baseAddress}:`,
    ...unit.sunspec.models.map(
      (m) =>
        `    model ${String(m.id).padStart(idWidth)}  ${(m.name ?? 'vendor model').padEnd(nameWidth)}  at ${m.address}  L=${m.length}`,
    ),
  ];
}

function printText(io: CliIo, report: ScanReport): void {
  for (const unit of report.units) io.out(unitText(unit).join('\n'));
  const what = report.units.length === 1 ? '1 unit answers' : `${report.units.length} units answer`;
  const tail = `(probed ${report.probed} of ${report.total} unit ids in ${seconds(report.elapsedMs)})`;
  if (report.units.length === 0) io.out(`No unit answers on ${report.link} ${tail}.`);
  else io.out(`${what} on ${report.link} ${tail}.`);
  if (report.stopped?.code === 'aborted') io.out('Stopped by Ctrl+C: the rest was not probed.');
}

function reportJson(report: ScanReport) {
  return {
    ...report,
    stopped: problemJson(report.stopped),
    units: report.units.map((u) => ({ ...u, problem: problemJson(u.problem) })),
  };
}

export function createScanCommand(terminal: Terminal = processTerminal): Command {
  return {
    summary: 'find the Modbus units on a link and identify their SunSpec models',
    help: HELP,
    options: { ...COMMON_OPTIONS, units: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    async run({ values, positionals, io }) {
      const url = urlArgument(positionals, 'scan');
      const timeoutMs = timeoutFlag(values['timeout-ms']);
      let unitIds: number[] | undefined;
      if (values.units !== undefined) {
        const parsed = parseUnitIds(values.units as string);
        if (!parsed.ok) throw cliErrorFrom(parsed.error);
        unitIds = parsed.value;
      }
      const json = Boolean(values.json);
      return withTarget(url, async (target) => {
        const line = new ProgressLine(terminal.progress, !json);
        const interrupt = terminal.interrupt();
        let result;
        try {
          result = await scanUnits(target, {
            unitIds,
            probeTimeoutMs: timeoutMs,
            signal: interrupt.signal,
            onProgress: (p) =>
              p.unitId !== null &&
              line.update(
                `Scanning ${target.linkName}: unit ${p.unitId} (${p.done + 1} of ${p.total}), ${p.found} found`,
              ),
          });
        } finally {
          line.clear();
          interrupt.dispose();
        }
        if (!result.ok) throw cliErrorFrom(result.error);
        const report = result.value;
        if (json) printJson(io, reportJson(report));
        else printText(io, report);
        if (report.stopped?.code === 'aborted') return 130;
        if (report.stopped) throw new CliError(`scan stopped early: ${report.stopped.message}`);
        return 0;
      });
    },
  };
}

export const scanCommand = createScanCommand();
