// The readable summary `microgrid scenario run NAME` prints (the JSON has every field).
import type { ScenarioSummary } from './scenario-summary';

const kw = (w: number): string => `${(w / 1000).toFixed(1)} kW`;
const mark = (good: boolean): string => (good ? 'ok  ' : 'FAIL');

export function scenarioText(s: ScenarioSummary): string[] {
  const soc = `${s.minSocPct ?? '–'} … ${s.maxSocPct ?? '–'} %`;
  const socOk =
    s.minSocPct !== null &&
    s.maxSocPct !== null &&
    s.minSocPct >= s.socMinLimitPct &&
    s.maxSocPct <= s.socMaxLimitPct;
  const island =
    s.islandEntryCycles === null
      ? 'no outage'
      : s.islandEntryCycles < 0
        ? 'never entered'
        : `entered ${s.islandEntryCycles} cycle(s) after grid loss`;
  const events = Object.entries(s.controlEvents)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return [
    `${s.scenario}: ${s.description}`,
    `  from ${s.startIso}, ${(s.durationS / 3600).toFixed(1)} h simulated, ${s.weather} sky`,
    '',
    `  ${mark(socOk)} SoC ${soc} (window ${s.socMinLimitPct} … ${s.socMaxLimitPct} %)`,
    `  ${mark(s.cyclesOverImportLimit <= 1)} import max ${kw(s.maxImportW)} (limit ${kw(s.importLimitW)}), ${s.cyclesOverImportLimit} cycle(s) over`,
    `  ${mark(s.cyclesOverExportLimit <= 1)} export max ${kw(s.maxExportW)} (limit ${kw(s.exportLimitW)}), ${s.cyclesOverExportLimit} cycle(s) over`,
    `  ${mark(s.criticalUnservedWhileServableWh === 0)} critical members: ${s.criticalUnservedWh} Wh unserved of ${s.criticalDemandWh} Wh (${s.criticalServableWh} Wh servable, ${s.criticalUnservedWhileServableWh} Wh unserved while servable)`,
    `  ${mark(s.islandEntryCycles === null || (s.islandEntryCycles >= 0 && s.islandEntryCycles <= 2))} island: ${island}`,
    `  ${mark(s.envelopeViolations === 0)} writes at the devices: ${s.writesReceived} received, ${s.writesRefused} refused, ${s.envelopeViolations} outside the envelope, ${s.writesWithoutRevert} without revert`,
    `  ${mark(s.powerBalanceMaxErrorW === 0)} power balance: max error ${s.powerBalanceMaxErrorW} W`,
    '',
    `  grid ${s.gridImportWh} Wh in, ${s.gridExportWh} Wh out; unserved ${s.unservedWh} Wh`,
    `  control: ${s.controlCycles} cycles, ${s.writesSent} setpoints sent (${s.writesFailed} failed)${events ? `; ${events}` : ''}`,
    `  cycle ${s.controlCycleMs.p50} ms p50, ${s.controlCycleMs.p99} ms p99; lockstep step ${s.lockstepMs.p50} ms p50, ${s.lockstepMs.p99} ms p99`,
    `  ran in ${(s.wallMs / 1000).toFixed(1)} s (${s.speedup}× real time)`,
  ];
}

/** True when the run meets every check of issue #7 (the CLI's exit code). */
export function scenarioPassed(s: ScenarioSummary): boolean {
  return (
    s.powerBalanceMaxErrorW === 0 &&
    s.minSocPct !== null &&
    s.maxSocPct !== null &&
    s.minSocPct >= s.socMinLimitPct &&
    s.maxSocPct <= s.socMaxLimitPct &&
    s.cyclesOverImportLimit <= 1 &&
    s.cyclesOverExportLimit <= 1 &&
    s.criticalUnservedWhileServableWh === 0 &&
    s.envelopeViolations === 0 &&
    (s.islandEntryCycles === null || (s.islandEntryCycles >= 0 && s.islandEntryCycles <= 2))
  );
}
