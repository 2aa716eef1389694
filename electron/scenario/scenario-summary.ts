// The JSON a scenario run prints: what the simulator measured (DemoRunSummary, trusting
// nothing the station says) plus what only the runner knows (how fast the station entered
// the island, writes it sent, cycle times, wall time).
import type { Setpoint } from '../../core/control';
import type { DemoRunSummary } from '../../drivers/sim/demo/demo-recorder';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface ScenarioSummary extends DemoRunSummary {
  scenario: string;
  description: string;
  startIso: string;
  durationS: number;
  weather: string;
  /**
   * Control cycles from the simulator's outage start (the first cycle at or after it)
   * until, inclusive, the cycle whose control reported islanded; the worst outage counts.
   * null without an outage; -1 if the station never entered the island.
   */
  islandEntryCycles: number | null;
  islandEntryCyclesByOutage: (number | null)[];
  /** Island steps the station's control reported (core/control events). */
  controlEvents: Record<string, number>;
  controlCycles: number;
  /** Setpoints the station sent (envelope writes), and those the driver reported failed. */
  writesSent: number;
  writesFailed: number;
  /** Failed writes by the driver's error code (e.g. a device that went silent). */
  writeErrors: Record<string, number>;
  /** The first few failed writes, to tell a driver refusal from a silent device. */
  firstWriteFailures: { atS: number; deviceId: string; setpoint: Setpoint; error: string }[];
  /** Time of one pure control cycle (controlCycle), ms. */
  controlCycleMs: Percentiles;
  /** Time of one whole lockstep step (poll all, control, writes, physics step), ms. */
  lockstepMs: Percentiles;
  wallMs: number;
  /** Simulated seconds per wall second. */
  speedup: number;
}

export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}
