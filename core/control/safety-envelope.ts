// The safety envelope: the last step before hardware, applied to every request whoever made
// it (strategies, island controller, operator). Order per request:
//   1. the device must exist, have the right role and be online — else no write at all;
//   2. the per-kind checks (envelope-checks.ts): invalid values, ramp, stale fallback,
//      nameplate/BMS limits, SoC window, PV range;
//   3. timing: inside minWriteIntervalMs of the last write the request is held (no write),
//      unless the live setpoint breaks the envelope now or a load is being switched off;
//      a value equal to the live setpoint is not written again until its rewrite is due.
// Every write carries revertSeconds, so a device falls back on its own if the station stops;
// rewriteDueMs says when the station must write it again. Batteries that nobody asked for
// this cycle but whose live setpoint now breaks their limits (stale data, SoC edge, BMS
// derating) are cut as well: a setpoint stays inside the envelope for its whole life.
import { batteryLimits } from './battery-limits';
import type { ControlConfig } from './control-config';
import type { ControlDevice, ControlSnapshot } from './control-snapshot';
import { checkBattery, checkLoad, checkPv, type Check } from './envelope-checks';
import type {
  EnvelopeDecision,
  EnvelopeReason,
  EnvelopeResult,
  LastWrite,
  SetpointWrite,
} from './envelope-types';
import { sameSetpoint, type Setpoint } from './setpoint-types';

export interface EnvelopeOptions {
  /** Island mode: the battery forms the grid and takes no power setpoint. */
  batteryGridForming?: boolean;
}

const ROLE_OF_KIND = { battery: 'battery', 'pv-limit': 'pv-inverter', load: 'switchable-load' };

export function isLive(write: LastWrite, nowMs: number): boolean {
  return nowMs < write.writtenMs + write.revertSeconds * 1000;
}

export function applyEnvelope(
  snapshot: ControlSnapshot,
  config: ControlConfig,
  lastWrites: Readonly<Record<string, LastWrite>>,
  requests: readonly Setpoint[],
  options: EnvelopeOptions = {},
): EnvelopeResult {
  const nowMs = snapshot.nowMs;
  const live: Record<string, LastWrite> = {};
  for (const [id, write] of Object.entries(lastWrites)) if (isLive(write, nowMs)) live[id] = write;
  const writes: SetpointWrite[] = [];
  const decisions: EnvelopeDecision[] = [];
  const asked = new Set<string>();

  const decide = (request: Setpoint): void => {
    asked.add(request.deviceId);
    const decision = decideOne(
      snapshot.byId[request.deviceId],
      request,
      live,
      nowMs,
      config,
      options,
    );
    decisions.push(decision.decision);
    if (decision.write) {
      writes.push(decision.write);
      live[request.deviceId] = {
        setpoint: decision.write.setpoint,
        writtenMs: nowMs,
        revertSeconds: decision.write.revertSeconds,
        rewriteDueMs: decision.write.rewriteDueMs,
      };
    }
  };
  for (const request of requests) decide(request);

  if (!options.batteryGridForming) {
    for (const [id, write] of Object.entries(live)) {
      const device = snapshot.byId[id];
      if (asked.has(id) || write.setpoint.kind !== 'battery' || !device?.online) continue;
      const limits = batteryLimits(device, config.soc);
      const w = write.setpoint.powerW;
      if (w > limits.maxDischargeW || w < -limits.maxChargeW) decide(write.setpoint);
    }
  }
  return { writes, decisions, lastWrites: live };
}

function decideOne(
  device: ControlDevice | undefined,
  request: Setpoint,
  live: Readonly<Record<string, LastWrite>>,
  nowMs: number,
  config: ControlConfig,
  options: EnvelopeOptions,
): { decision: EnvelopeDecision; write: SetpointWrite | null } {
  const last = live[request.deviceId];
  const base = { deviceId: request.deviceId, kind: request.kind, requested: request };
  const refuse = (reason: EnvelopeReason, applied: Setpoint | null = last?.setpoint ?? null) => ({
    decision: { ...base, applied, written: false, reasons: [reason] },
    write: null,
  });
  if (!device) return refuse('unknown_device');
  if (device.role !== ROLE_OF_KIND[request.kind]) return refuse('wrong_role');
  // An offline device is not written; what it runs is unknown (its revert timer decides).
  if (!device.online) return refuse('offline', null);
  if (request.kind === 'battery' && options.batteryGridForming) return refuse('grid_forming');

  const check: Check =
    request.kind === 'battery'
      ? checkBattery(device, request, last, nowMs, config)
      : request.kind === 'pv-limit'
        ? checkPv(device, request, last)
        : checkLoad(device, request, last);
  const reasons = [...check.reasons];
  const limits = check.limits && {
    maxChargeW: check.limits.maxChargeW,
    maxDischargeW: check.limits.maxDischargeW,
  };
  const settle = (applied: Setpoint | null, write: SetpointWrite | null) => ({
    decision: { ...base, applied, written: write !== null, reasons, ...(limits ? { limits } : {}) },
    write,
  });
  if (check.allowed === null) return settle(last?.setpoint ?? null, null);

  if (last && nowMs - last.writtenMs < config.minWriteIntervalMs && !check.urgent) {
    if (!sameSetpoint(last.setpoint, check.allowed)) reasons.push('min_interval');
    else reasons.push('unchanged');
    return settle(last.setpoint, null);
  }
  if (last && sameSetpoint(last.setpoint, check.allowed)) {
    if (nowMs < last.rewriteDueMs) {
      reasons.push('unchanged');
      return settle(last.setpoint, null);
    }
    reasons.push('rewrite');
  }
  const write: SetpointWrite = {
    deviceId: device.id,
    setpoint: check.allowed,
    revertSeconds: config.setpointLifetimeS,
    rewriteDueMs: nowMs + Math.floor(config.setpointLifetimeS * 1000 * config.rewriteFraction),
  };
  return settle(check.allowed, write);
}
