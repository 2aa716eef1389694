// `microgrid scenario list|run NAME`: the simulation scenarios of issue #7, run with the
// station's real pollers and control cycle in lockstep with the demo on loopback (free
// ports, nothing else needed). The summary is measured by the simulator, not the station.
import { runScenario } from '../scenario/scenario-runner';
import { scenarioPassed, scenarioText } from '../scenario/scenario-text';
import { SCENARIOS, findScenario } from '../scenario/scenarios';
import { parseNumberFlag, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';

const HELP = `
Usage: microgrid scenario list [--json]
       microgrid scenario run NAME [--json] [--minutes N]

Runs a simulated stretch of time on the demo microgrid (21 June 2025, Riverside Housing
Co-op) with the station's own Modbus pollers, snapshot and control cycle every simulated
second, as fast as the machine allows, all on loopback with free ports.

Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}

run prints what the simulator measured: SoC range against the battery's window, grid
import/export against the limits and cycles over them, critical energy unserved while the
island could have served it, cycles from grid loss to island mode, writes outside the
devices' limits and the power balance error; --json prints all fields. Exit code 0 when
every check holds, 1 when one fails.

Options:
  --minutes N  run only the first N simulated minutes
  --json       machine-readable output
`;

export const scenarioCommand: Command = {
  summary: 'run a simulated day (or outage) with the station in control, and check it',
  help: HELP,
  options: { ...COMMON_OPTIONS, minutes: { type: 'string' } },
  async run({ values, positionals, io }) {
    const [action, name, extra] = positionals;
    if (action === 'list') {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
      if (values.json)
        printJson(
          io,
          SCENARIOS.map((s) => ({
            name: s.name,
            description: s.description,
            startIso: new Date(s.startSimMs).toISOString(),
            durationS: s.durationMs / 1000,
            weather: s.weather,
          })),
        );
      else {
        const width = Math.max(...SCENARIOS.map((s) => s.name.length));
        for (const s of SCENARIOS) io.out(`${s.name.padEnd(width)}  ${s.description}`);
      }
      return 0;
    }
    if (action !== 'run')
      throw new UsageError(
        action ? `unknown scenario action "${action}"` : 'scenario needs an action: list or run',
      );
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const names = SCENARIOS.map((s) => s.name).join(', ');
    if (name === undefined) throw new UsageError(`scenario run needs a name: ${names}`);
    const scenario = findScenario(name);
    if (!scenario) throw new UsageError(`unknown scenario "${name}"; known: ${names}`);
    const minutes = parseNumberFlag(
      'minutes',
      values.minutes as string | undefined,
      1,
      scenario.durationMs / 60_000,
      'integer',
    );
    const summary = await runScenario(scenario, {
      durationMs: minutes === undefined ? undefined : minutes * 60_000,
      onProgress: (fraction) => {
        if (!values.json) io.err(`  … ${Math.round(fraction * 100)} %`);
      },
    });
    if (values.json) printJson(io, summary);
    else for (const line of scenarioText(summary)) io.out(line);
    return scenarioPassed(summary) ? 0 : 1;
  },
};
