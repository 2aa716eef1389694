// The checks of issue #7's "Done when" on a scenario summary, all measured by the simulator,
// and shortened copies of the scenarios for tests: a lockstep second costs about 4–6 ms of
// wall time (25 devices polled over loopback Modbus every simulated second), so the full
// scenarios (74 simulated hours together) run from the CLI, and tests run 45–50 minute
// windows around each scenario's interesting part, with the same site, weather and events.
import { expect } from 'vitest';
import type { ScenarioSummary } from '../../../electron/scenario/scenario-summary';
import type { ScenarioDefinition } from '../../../electron/scenario/scenario-types';
import { findScenario } from '../../../electron/scenario/scenarios';

const MIN_MS = 60_000;

export function scenario(name: string): ScenarioDefinition {
  const found = findScenario(name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}

/** The scenario from `fromMin` after its start, for `minutes`, with events given relative to that. */
export function shortened(
  name: string,
  fromMin: number,
  minutes: number,
  events: Pick<ScenarioDefinition, 'outages' | 'failures'> = { outages: [], failures: [] },
): ScenarioDefinition {
  const full = scenario(name);
  return {
    ...full,
    startSimMs: full.startSimMs + fromMin * MIN_MS,
    durationMs: minutes * MIN_MS,
    ...events,
  };
}

/** `silentDevices`: the run makes a device go silent (writes on their way to it may fail). */
export function expectDoneWhen(s: ScenarioSummary, { silentDevices = false } = {}): void {
  expect(s.powerBalanceMaxErrorW, 'power balance at every step').toBe(0);
  expect(s.nonIntegerPowers).toBe(0);
  expect(s.minSocPct, 'SoC above its window').toBeGreaterThanOrEqual(s.socMinLimitPct);
  expect(s.maxSocPct, 'SoC below its window').toBeLessThanOrEqual(s.socMaxLimitPct);
  expect(s.cyclesOverImportLimit, 'import over the limit').toBeLessThanOrEqual(1);
  expect(s.cyclesOverExportLimit, 'export over the limit').toBeLessThanOrEqual(1);
  expect(s.criticalUnservedWhileServableWh, 'critical members served').toBe(0);
  expect(s.envelopeViolations, 'writes outside the envelope').toBe(0);
  expect(s.writesRefused, 'writes refused by devices').toBe(0);
  expect(s.writesWithoutRevert, 'writes without revert timer').toBe(0);
  // A device that goes silent fails the writes already on their way to it; nothing else may.
  if (!silentDevices) expect(s.writeErrors, 'setpoints the driver could not send').toEqual({});
  if (s.outages.length === 0) expect(s.islandEntryCycles).toBeNull();
  else {
    expect(s.islandEntryCycles, 'island within 2 cycles').toBeGreaterThanOrEqual(1);
    expect(s.islandEntryCycles, 'island within 2 cycles').toBeLessThanOrEqual(2);
  }
}
