// Runs one scenario: the station's real parts in lockstep with the demo on a manual clock.
// Each simulated second:
//   1. every due poller polls over loopback Modbus (SunSpec writes queued in the previous
//      cycle go out first, as in the station: "writes first in the next bus cycle");
//   2. the SnapshotBuilder freezes the readings at the simulated time;
//   3. controlCycle (core/control) decides, with the site's default ControlConfig;
//   4. each write goes to its device's DevicePoller.apply;
//   5. the physics steps 1 s.
// A device whose poll failed is retried with a growing pause (5 s … 60 s simulated), as a
// station backs off a dead link: each attempt on a silent device costs a real-time timeout
// while simulated time stands still, and polling it every second would make an hour of
// silence take minutes. The snapshot shows it stale after 3 s all the same.
import { toDeviceSetpoint } from '../../core/control/envelope-types';
import { performance } from 'node:perf_hooks';
import {
  controlCycle,
  defaultControlConfig,
  initialControlState,
  type ControlConfig,
  type SetpointWrite,
} from '../../core/control';
import type { DevicePoller } from '../../core/points/device-poller';
import type { SetpointResult } from '../../core/points/device-setpoint';
import { SnapshotBuilder } from '../../core/points/snapshot-builder';
import { startScenarioRig } from './scenario-rig';
import { percentiles, type ScenarioSummary } from './scenario-summary';
import type { ScenarioDefinition } from './scenario-types';

const CYCLE_MS = 1000;
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export interface RunOptions {
  /** Run only this much of the scenario (tests); default its full duration. */
  durationMs?: number;
  /** Control settings; default defaultControlConfig(site), as the station runs. */
  config?: ControlConfig;
  /** Called every simulated hour with the progress 0..1. */
  onProgress?: (fraction: number) => void;
}

interface SentWrite {
  write: SetpointWrite;
  result: SetpointResult;
  atMs: number;
}

interface PollSchedule {
  poller: DevicePoller;
  nextMs: number;
  retryMs: number;
}

export async function runScenario(
  scenario: ScenarioDefinition,
  options: RunOptions = {},
): Promise<ScenarioSummary> {
  const wallStart = performance.now();
  const rig = await startScenarioRig(scenario);
  try {
    const { demo, site } = rig;
    const startMs = scenario.startSimMs;
    const durationMs = Math.min(options.durationMs ?? scenario.durationMs, scenario.durationMs);
    const endMs = startMs + durationMs;
    const outages = scenario.outages
      .map((o) => ({ startMs: startMs + o.startMs, endMs: startMs + o.endMs }))
      .filter((o) => o.startMs < endMs);
    for (const o of outages) demo.scheduleOutage(o.startMs, o.endMs);
    const faults = scenario.failures.flatMap((f) => [
      { atMs: startMs + f.atMs, deviceId: f.deviceId, silent: true },
      ...(f.healMs === null
        ? []
        : [{ atMs: startMs + f.healMs, deviceId: f.deviceId, silent: false }]),
    ]);

    const defaults = defaultControlConfig(site);
    const config =
      options.config ??
      (scenario.strategies ? { ...defaults, strategies: [...scenario.strategies] } : defaults);
    const builder = new SnapshotBuilder(site);
    const byId = new Map(rig.pollers.map((p) => [p.deviceId, p]));
    const schedule: PollSchedule[] = rig.pollers.map((poller) => ({
      poller,
      nextMs: startMs,
      retryMs: RETRY_FIRST_MS,
    }));
    const recorder = demo.startRecording();
    let state = initialControlState();
    // Load switches are written at once by their profile poller; SunSpec setpoints wait in
    // the poll engine and go out first in the device's next poll.
    let loadWrites: Promise<void>[] = [];
    let writesSent = 0;
    let writesFailed = 0;
    const writeErrors: Record<string, number> = {};
    const firstWriteFailures: ScenarioSummary['firstWriteFailures'] = [];
    const count = ({ write, result, atMs }: SentWrite): void => {
      if (result.ok) return;
      writesFailed++;
      writeErrors[result.error.code] = (writeErrors[result.error.code] ?? 0) + 1;
      if (firstWriteFailures.length < 5)
        firstWriteFailures.push({
          atS: (atMs - startMs) / 1000,
          deviceId: write.deviceId,
          setpoint: write.setpoint,
          error: `${result.error.code}: ${result.error.message}`,
        });
    };
    const controlEvents: Record<string, number> = {};
    const entry: (number | null)[] = outages.map(() => null);
    const cyclesIntoOutage = outages.map(() => 0);
    const controlSamples: number[] = [];
    const lockstepSamples: number[] = [];
    let cycles = 0;
    let nextProgressMs = startMs + 3_600_000;

    while (demo.simNowMs < endMs) {
      const stepStart = performance.now();
      const nowMs = demo.simNowMs;
      for (const f of faults)
        if (f.atMs === nowMs)
          demo.setDeviceFault(f.deviceId, f.silent ? { kind: 'no-reply' } : null);
      // Both kinds of write reach the simulator at this simulated time, before the reads:
      // load switches are awaited here, SunSpec setpoints go out first in the device's poll.
      // Those are counted when they settle, not awaited: a device skipped this cycle (in
      // retry backoff) keeps its write queued until its next poll.
      await Promise.all(loadWrites);
      loadWrites = [];
      await pollDue(schedule, nowMs, builder);

      const snapshot = builder.build(nowMs);
      const controlStart = performance.now();
      const result = controlCycle(snapshot, site, config, state);
      controlSamples.push(performance.now() - controlStart);
      state = result.nextState;
      cycles++;
      for (const event of result.events)
        controlEvents[event.kind] = (controlEvents[event.kind] ?? 0) + 1;
      outages.forEach((o, i) => {
        if (nowMs < o.startMs || entry[i] !== null) return;
        cyclesIntoOutage[i] = (cyclesIntoOutage[i] ?? 0) + 1;
        if (result.islandPhase !== 'grid-connected') entry[i] = cyclesIntoOutage[i] ?? null;
      });

      for (const write of result.writes) {
        const poller = byId.get(write.deviceId);
        writesSent++;
        const sent = poller?.apply
          ? poller.apply(toDeviceSetpoint(write)).catch((error: unknown) => failed(error))
          : Promise.resolve(failed(`${write.deviceId} takes no setpoints`));
        const counted = sent.then((result) => count({ write, result, atMs: nowMs }));
        if (write.setpoint.kind === 'load') loadWrites.push(counted);
      }
      demo.step(Math.min(CYCLE_MS, endMs - nowMs));
      lockstepSamples.push(performance.now() - stepStart);
      if (demo.simNowMs >= nextProgressMs) {
        options.onProgress?.((demo.simNowMs - startMs) / durationMs);
        nextProgressMs += 3_600_000;
      }
    }
    // Writes still queued for a next bus cycle that never comes are not counted as failed.
    recorder.stop();
    const measured = recorder.summary();
    const wallMs = performance.now() - wallStart;
    const islandEntryCycles =
      outages.length === 0 ? null : entry.includes(null) ? -1 : Math.max(...entry.map(Number));
    return {
      scenario: scenario.name,
      description: scenario.description,
      startIso: new Date(startMs).toISOString(),
      durationS: durationMs / 1000,
      weather: scenario.weather,
      ...measured,
      islandEntryCycles,
      islandEntryCyclesByOutage: entry,
      controlEvents,
      controlCycles: cycles,
      writesSent,
      writesFailed,
      writeErrors,
      firstWriteFailures,
      controlCycleMs: percentiles(controlSamples),
      lockstepMs: percentiles(lockstepSamples),
      wallMs: Math.round(wallMs),
      speedup: Math.round(durationMs / wallMs),
    };
  } finally {
    await rig.stop();
  }
}

async function pollDue(
  schedule: PollSchedule[],
  nowMs: number,
  builder: SnapshotBuilder,
): Promise<void> {
  await Promise.all(
    schedule
      .filter((s) => s.nextMs <= nowMs)
      .map(async (s) => {
        const reading = await s.poller.poll().catch(() => null);
        if (reading) builder.record(reading);
        builder.setStatus(s.poller.status());
        if (reading) {
          s.nextMs = nowMs + CYCLE_MS;
          s.retryMs = RETRY_FIRST_MS;
        } else {
          s.nextMs = nowMs + s.retryMs;
          s.retryMs = Math.min(RETRY_MAX_MS, s.retryMs * 2);
        }
      }),
  );
}

const failed = (error: unknown): SetpointResult => ({
  ok: false,
  error: { code: 'apply_failed', message: String(error) },
});
