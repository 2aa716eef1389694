// Writing one SunSpec point, in three steps so that a UI and the CLI can both put a
// confirmation in the middle:
// 1. checkPointWrite: model, point, access and value against the model table, no I/O;
// 2. planPointWrite: discovery and the model's current values give the scale factor, the
//    old value and the exact words; the range check happens here, still before any write;
// 3. executePointWrite: one FC16 write, then the model is read again and the value the
//    device now reports is returned, which may differ (devices clamp and round).
import { fail, ok, type Result } from '../../core/result';
import type { UnitClient } from '../modbus/unit-client';
import {
  discoverSunspec,
  readModel,
  type SunspecMap,
  type SunspecModelEntry,
} from '../sunspec/discovery';
import { encodePointValue } from '../sunspec/point-encode';
import { encodePointWrite } from '../sunspec/encode';
import { getModelDef } from '../sunspec/model-table';
import type {
  DecodedModel,
  SunspecInput,
  SunspecModelDef,
  SunspecValue,
} from '../sunspec/model-types';
import {
  commissioningError,
  fromEncodeError,
  fromModbusError,
  fromSunspecError,
  refOf,
  type CommissioningError,
} from './commissioning-error';
import { checkPointLimit } from './point-limits';
import { resolvePoint, type ResolvedPoint } from './point-path';
import { symbolOf, valueAt } from './point-rows';
import { parsePointValue } from './point-value-input';

export interface PointWriteRequest {
  modelId: number;
  /** "WMaxLimPct", or "module[1].DCA" inside a repeating group. */
  point: string;
  /** As typed: a number, an enum symbol, bitfield symbols joined by "+", or text. */
  value: string;
}

export interface CheckedWrite {
  def: SunspecModelDef;
  target: ResolvedPoint;
  /** "model 123 WMaxLimPct" */
  label: string;
  value: SunspecInput;
}

export interface PointWritePlan {
  endpoint: string;
  unitId: number;
  modelId: number;
  /** Address of the model's ID register. */
  modelAddress: number;
  /** "WMaxLimPct" or "module[1].DCA" */
  point: string;
  units: string | null;
  /** Address of the point's first register (0-based). */
  address: number;
  words: number[];
  oldValue: SunspecValue;
  oldSymbol: string | null;
  newValue: SunspecValue;
  newSymbol: string | null;
  /** For the read-back. */
  entry: SunspecModelEntry;
  checked: CheckedWrite;
}

export interface PointWriteOutcome {
  plan: PointWritePlan;
  /** What the device reports after the write. */
  readBack: SunspecValue;
  readBackSymbol: string | null;
  /** Whether the read-back equals the value written. */
  matches: boolean;
}

type Checked<T> = Result<T, CommissioningError>;

/** Everything that can be refused without asking the device. */
export function checkPointWrite(request: PointWriteRequest): Checked<CheckedWrite> {
  const def = getModelDef(request.modelId);
  if (!def) {
    return fail(
      commissioningError(
        'unknown_model',
        `the station has no definition of model ${request.modelId}`,
      ),
    );
  }
  const resolved = resolvePoint(def, request.point);
  if (!resolved.ok) return resolved;
  const target = resolved.value;
  const label = `model ${def.id} ${target.label}`;
  if (target.point.access !== 'rw')
    return fail(commissioningError('read_only', `${label} is read-only`));
  const value = parsePointValue(target.point, request.value, label);
  if (!value.ok) return value;
  const limit = checkPointLimit(def.id, target.path, value.value, target.label, target.point.units);
  if (limit) return fail(limit);
  // With a fixed (or no) scale factor the type's range can be checked now as well.
  if (typeof target.point.sf !== 'string') {
    const encoded = encodePointValue(target.point, value.value, null, label);
    if (!encoded.ok) return fail(fromEncodeError(encoded.error));
  }
  return ok({ def, target, label, value: value.value });
}

function scaleFactorOf(decoded: DecodedModel, target: ResolvedPoint): number | null {
  const sf = target.point.sf;
  if (typeof sf !== 'string') return null;
  const local = target.block.points.some((p) => p.name === sf);
  const prefix = target.path.split('.').slice(0, -1);
  const value = local
    ? valueAt(decoded, [...prefix, sf].join('.'), target.groupIndex)
    : valueAt(decoded, sf, []);
  return typeof value === 'number' ? value : null;
}

/** Count points (and any other top-level numbers) that place counted groups. */
function countsOf(decoded: DecodedModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(decoded.points))
    if (typeof value === 'number') counts[name] = value;
  return counts;
}

/** Equal as written; float32 points only hold about 7 significant digits. */
function sameValue(a: SunspecValue, b: SunspecValue): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
  return String(a) === String(b);
}

const display = (value: SunspecInput): SunspecValue =>
  typeof value === 'bigint' ? value.toString() : value;

export async function planPointWrite(
  unit: UnitClient,
  request: PointWriteRequest,
  options: { map?: SunspecMap } = {},
): Promise<Checked<PointWritePlan>> {
  const checked = checkPointWrite(request);
  if (!checked.ok) return checked;
  const { def, target, label } = checked.value;
  const ref = refOf(unit);
  let map = options.map;
  if (!map) {
    const discovered = await discoverSunspec(unit);
    if (!discovered.ok) return fail(fromSunspecError(discovered.error, ref));
    map = discovered.value;
  }
  const entry = map.models.find((m) => m.id === def.id);
  if (!entry) {
    return fail(
      commissioningError(
        'model_not_present',
        `unit ${ref.unitId} at ${ref.endpoint} has no model ${def.id} (it has ${map.models.map((m) => m.id).join(', ')})`,
      ),
    );
  }
  const decoded = await readModel(unit, entry);
  if (!decoded.ok) return fail(fromSunspecError(decoded.error, ref));
  const sf = scaleFactorOf(decoded.value, target);
  const counts = countsOf(decoded.value);
  const write = encodePointWrite(
    def,
    target.path,
    checked.value.value,
    sf,
    target.groupIndex,
    counts,
  );
  if (!write.ok) return fail(fromEncodeError(write.error));
  // Past L the registers belong to the next model: an older model revision, or a group
  // instance the device does not have.
  if (write.value.offset + write.value.words.length > entry.length) {
    return fail(
      commissioningError(
        'unknown_point',
        `${label} is not on this device: its model ${def.id} has L=${entry.length}, too short for it`,
      ),
    );
  }
  const oldValue = valueAt(decoded.value, target.path, target.groupIndex);
  const newValue = display(checked.value.value);
  return ok({
    endpoint: ref.endpoint,
    unitId: ref.unitId,
    modelId: def.id,
    modelAddress: entry.address,
    point: target.label,
    units: target.point.units,
    address: entry.address + 2 + write.value.offset,
    words: Array.from(write.value.words),
    oldValue,
    oldSymbol: symbolOf(target.point, oldValue),
    newValue,
    newSymbol: symbolOf(target.point, newValue),
    entry,
    checked: checked.value,
  });
}

export async function executePointWrite(
  unit: UnitClient,
  plan: PointWritePlan,
): Promise<Checked<PointWriteOutcome>> {
  const ref = refOf(unit);
  const written = await unit.writeRegisters(plan.address, plan.words);
  if (!written.ok) {
    const what = `the write of ${plan.point} (model ${plan.modelId}) at ${plan.address}`;
    return fail(fromModbusError(written.error, ref, what));
  }
  const decoded = await readModel(unit, plan.entry);
  if (!decoded.ok) {
    const problem = fromSunspecError(decoded.error, ref);
    problem.message = `the write was accepted, but reading it back failed: ${problem.message}`;
    return fail(problem);
  }
  const { target } = plan.checked;
  const readBack = valueAt(decoded.value, target.path, target.groupIndex);
  return ok({
    plan,
    readBack,
    readBackSymbol: symbolOf(target.point, readBack),
    matches: sameValue(readBack, plan.newValue),
  });
}
