// Which unit ids answer on one link, and what each of them is. Units share the link's one
// queue (a serial bus or a gateway takes one request at a time), so the scan is sequential:
// one short probe per id, and only for ids that answered the SunSpec discovery and the
// common model, with a normal timeout. A unit that is not there costs one probe timeout.
//
// "Answers" means any reply, an exception included: a unit saying "illegal address" is
// there, it just has nothing at the probed register. Gateway exceptions (0A/0B) mean the
// gateway has nobody at that id, so they count as silence.
import { fail, ok, type Result } from '../../core/result';
import type { ModbusError, UnitClient } from '../modbus/unit-client';
import {
  discoverSunspec,
  readIdentity,
  type SunspecIdentity,
  type SunspecMap,
} from '../sunspec/discovery';
import {
  commissioningError,
  fromModbusError,
  fromSunspecError,
  type CommissioningError,
} from './commissioning-error';
import { READ_TIMEOUT_MS, type ModbusTarget } from './modbus-target';
import { defaultScanOrder } from './unit-ids';

export interface ScanOptions {
  /** Ids to probe, in order; default: the typical ids, then the rest of 1–247. */
  unitIds?: readonly number[];
  /** How long to wait for a unit that may not exist; default: the target's scan timeout. */
  probeTimeoutMs?: number;
  /** Timeout for the reads that follow once a unit has answered. */
  readTimeoutMs?: number;
  signal?: AbortSignal;
  /** Before each probe, and once at the end (`unitId` null). */
  onProgress?: (progress: ScanProgress) => void;
  /** As soon as a unit has been identified. */
  onFound?: (unit: ScannedUnit) => void;
  now?: () => number;
}

export interface ScanProgress {
  /** Ids probed so far. */
  done: number;
  total: number;
  /** The id about to be probed; null once the scan has ended. */
  unitId: number | null;
  found: number;
}

export interface ScannedModel {
  id: number;
  /** Address of the model's ID register (0-based). */
  address: number;
  /** L, the body length in registers. */
  length: number;
  /** Name in the SunSpec tables, e.g. "ac_meter_abcn"; null for vendor models. */
  name: string | null;
  label: string | null;
}

export interface ScannedUnit {
  unitId: number;
  /** Null when the unit answers Modbus but has no (readable) SunSpec map. */
  sunspec: { baseAddress: number; models: ScannedModel[] } | null;
  identity: SunspecIdentity | null;
  /** Why `sunspec` or `identity` is missing, e.g. no_sunspec: the unit may need a device profile. */
  problem: CommissioningError | null;
}

export interface ScanReport {
  link: string;
  /** How many ids were probed, of `total`. */
  probed: number;
  total: number;
  /** False when the scan was aborted or the link was lost part way. */
  complete: boolean;
  /** What ended the scan early. */
  stopped: CommissioningError | null;
  elapsedMs: number;
  units: ScannedUnit[];
}

type Probe =
  { kind: 'silent' } | { kind: 'answered' } | { kind: 'stop'; error: CommissioningError };

const SILENT_CODES = new Set<ModbusError['code']>(['timeout', 'gateway_path', 'gateway_target']);

async function probe(unit: UnitClient, linkName: string): Promise<Probe> {
  // Two registers where SunSpec devices keep their marker; any reply at all will do.
  const reply = await unit.readHoldingRegisters(40000, 2);
  if (reply.ok) return { kind: 'answered' };
  if (SILENT_CODES.has(reply.error.code)) return { kind: 'silent' };
  if (reply.error.code === 'disconnected' || reply.error.code === 'closed') {
    const ref = { endpoint: linkName, unitId: unit.unitId };
    return { kind: 'stop', error: fromModbusError(reply.error, ref, 'the probe') };
  }
  return { kind: 'answered' };
}

function describeMap(map: SunspecMap): ScannedUnit['sunspec'] {
  return {
    baseAddress: map.baseAddress,
    models: map.models.map((m) => ({
      id: m.id,
      address: m.address,
      length: m.length,
      name: m.def?.name ?? null,
      label: m.def?.label ?? null,
    })),
  };
}

/** Discovery and identity of a unit that answered the probe. */
async function identify(unit: UnitClient, linkName: string): Promise<ScannedUnit> {
  const ref = { endpoint: linkName, unitId: unit.unitId };
  const map = await discoverSunspec(unit);
  if (!map.ok) {
    const problem = fromSunspecError(map.error, ref);
    if (problem.code === 'no_sunspec')
      problem.message = `${problem.message}; it may need a device profile`;
    return { unitId: unit.unitId, sunspec: null, identity: null, problem };
  }
  const identity = await readIdentity(unit, map.value);
  return {
    unitId: unit.unitId,
    sunspec: describeMap(map.value),
    identity: identity.ok ? identity.value : null,
    problem: identity.ok ? null : fromSunspecError(identity.error, ref),
  };
}

const isStop = (problem: CommissioningError | null): boolean =>
  problem?.code === 'aborted' || problem?.code === 'unreachable';

/**
 * Probes every id in turn. Fails only when the link cannot be reached before any unit
 * answered; an abort or a link lost later ends the scan with what it found so far.
 */
export async function scanUnits(
  target: ModbusTarget,
  options: ScanOptions = {},
): Promise<Result<ScanReport, CommissioningError>> {
  const now = options.now ?? Date.now;
  const startedMs = now();
  const ids = options.unitIds ?? defaultScanOrder();
  const probeTimeoutMs = options.probeTimeoutMs ?? target.scanTimeoutMs;
  const readTimeoutMs = Math.max(options.readTimeoutMs ?? READ_TIMEOUT_MS, probeTimeoutMs);
  const units: ScannedUnit[] = [];
  let stopped: CommissioningError | null = null;
  let probed = 0;
  const report = (unitId: number | null): void =>
    options.onProgress?.({ done: probed, total: ids.length, unitId, found: units.length });

  for (const unitId of ids) {
    if (options.signal?.aborted) {
      stopped = commissioningError('aborted', 'stopped by the user');
      break;
    }
    report(unitId);
    const answer = await probe(
      target.unit(unitId, probeTimeoutMs, options.signal),
      target.linkName,
    );
    if (answer.kind === 'stop') {
      stopped = answer.error;
      break;
    }
    probed++;
    if (answer.kind === 'silent') continue;
    const found = await identify(
      target.unit(unitId, readTimeoutMs, options.signal),
      target.linkName,
    );
    units.push(found);
    options.onFound?.(found);
    if (isStop(found.problem)) {
      stopped = found.problem;
      break;
    }
  }
  report(null);
  if (stopped?.code === 'unreachable' && units.length === 0) return fail(stopped);
  return ok({
    link: target.linkName,
    probed,
    total: ids.length,
    complete: stopped === null,
    stopped,
    elapsedMs: now() - startedMs,
    units,
  });
}
