// The island state machine (pure): one step per control cycle. Detection: the grid judged
// lost (grid-detection.ts) for lossConfirmCycles consecutive cycles (default 2, so an outage
// seen at cycle k is islanded at k+1, never later than k+2) → islanded, battery grid-forming.
// Return: the grid must sit inside the return ranges without a break for enterServiceDelayS
// (reconnect-wait, still islanded), then restoring: grid-following again, shed loads back one
// per restoreStepS (critical first), and grid-connected once none is left.
import type { ControlConfig } from './control-config';
import type { ControlSnapshot } from './control-snapshot';
import { judgeGrid } from './grid-detection';
import { manageIslandLoads } from './island-loads';
import type { IslandEvent, IslandOutput, IslandState, ShedLoad } from './island-types';
import type { Setpoint } from './setpoint-types';

export function stepIsland(
  snapshot: ControlSnapshot,
  config: ControlConfig,
  state: IslandState,
  inverterIslanded: boolean | null,
): IslandOutput {
  const nowMs = snapshot.nowMs;
  const island = config.island;
  const events: IslandEvent[] = [];
  let next: IslandState = {
    ...state,
    shed: [...state.shed],
    phaseSinceMs: state.phaseSinceMs ?? nowMs,
  };
  const enter = (phase: IslandState['phase']): void => {
    next = { ...next, phase, phaseSinceMs: nowMs, lossCycles: 0 };
  };

  // Loss of grid while connected (or while restoring after an outage).
  if (next.phase === 'grid-connected' || next.phase === 'restoring') {
    const verdict = judgeGrid(snapshot.site, island, 'trip', inverterIslanded);
    if (verdict.kind === 'lost') {
      next.lossCycles = state.lossCycles + 1;
      if (next.lossCycles >= island.lossConfirmCycles) {
        enter('islanded');
        events.push({ kind: 'island_entered', atMs: nowMs, reason: verdict.reason });
      }
    } else if (verdict.kind === 'present') {
      next.lossCycles = 0;
    }
  } else {
    const verdict = judgeGrid(snapshot.site, island, 'return', inverterIslanded);
    if (next.phase === 'islanded' && verdict.kind === 'present') {
      enter('reconnect-wait');
      events.push({
        kind: 'grid_returned',
        atMs: nowMs,
        reason: 'grid_in_range',
        waitS: island.enterServiceDelayS,
      });
    } else if (next.phase === 'reconnect-wait' && verdict.kind !== 'present') {
      enter('islanded');
      events.push({
        kind: 'reconnect_aborted',
        atMs: nowMs,
        reason: verdict.kind === 'lost' ? verdict.reason : 'grid_unknown',
      });
    }
    if (
      next.phase === 'reconnect-wait' &&
      nowMs - (next.phaseSinceMs ?? nowMs) >= island.enterServiceDelayS * 1000
    ) {
      enter('restoring');
      next.lastStepMs = nowMs; // the first load comes back one step after reconnection
      events.push({ kind: 'grid_reconnected', atMs: nowMs, reason: 'enter_service_delay_elapsed' });
    }
  }

  const requests: Setpoint[] = [];
  if (next.phase === 'islanded' || next.phase === 'reconnect-wait') {
    const step = manageIslandLoads(snapshot, config, next.shed, next.lastStepMs);
    next = { ...next, shed: step.shed, lastStepMs: step.lastStepMs };
    events.push(...step.events);
    requests.push(...step.pvLimits);
    for (const e of step.events) if (e.kind === 'load_restored') requests.push(loadOn(e.deviceId));
  } else if (next.phase === 'restoring') {
    // A load removed from the site meanwhile cannot come back; forget it.
    next.shed = next.shed.filter((s) => snapshot.byId[s.deviceId] !== undefined);
    const restored = restoreStep(snapshot, next, island.restoreStepS);
    if (restored) {
      next = { ...next, shed: next.shed.filter((s) => s !== restored), lastStepMs: nowMs };
      requests.push(loadOn(restored.deviceId));
      events.push({
        kind: 'load_restored',
        atMs: nowMs,
        reason: 'restore_step',
        deviceId: restored.deviceId,
        memberId: restored.memberId,
        critical: restored.critical,
      });
    }
    if (next.shed.length === 0) {
      enter('grid-connected');
      next.lastStepMs = null;
      events.push({ kind: 'island_left', atMs: nowMs, reason: 'all_loads_restored' });
    }
  }
  for (const s of next.shed) requests.push({ kind: 'load', deviceId: s.deviceId, on: false });

  const gridForming = next.phase === 'islanded' || next.phase === 'reconnect-wait';
  return {
    state: next,
    events,
    batteryMode: gridForming ? 'grid-forming' : 'grid-following',
    requests,
  };
}

/** The next load to bring back after reconnection: critical first, then last shed first. */
function restoreStep(
  snapshot: ControlSnapshot,
  state: IslandState,
  stepS: number,
): ShedLoad | null {
  if (state.lastStepMs !== null && snapshot.nowMs - state.lastStepMs < stepS * 1000) return null;
  const candidates = [...state.shed]
    .reverse()
    .sort((a, b) => Number(b.critical) - Number(a.critical));
  // A load whose device cannot be seen is skipped (the envelope would hold its switch-on).
  return (
    candidates.find((s) => {
      const device = snapshot.byId[s.deviceId];
      return device !== undefined && device.online && !device.stale;
    }) ?? null
  );
}

function loadOn(deviceId: string): Setpoint {
  return { kind: 'load', deviceId, on: true };
}
