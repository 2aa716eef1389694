// Scaled writes of SunSpec control points, with read-back. Two steps:
// - prepareControl (pure, at submit time): the model must be in the device's map, each
//   point must exist, be writable, and its value must encode at the scale factor last read
//   (encodePointWrite: read_only, out_of_range, wrong_type) and be one of its enum values.
//   A refusal here has sent nothing.
// - executeControl (control-execute.ts; in the write phase of the device's next cycle, before its reads): read
//   the model's ID/L header and the scale factors in one block, refuse if the map moved
//   (stale_map), encode at the fresh scale factors, write adjacent points in one FC16 in
//   the order given (so an enable flag listed last goes last), then read the written
//   registers back and compare.
import { fail, ok, type Problem, type Result } from '../../core/result';
import type { ModbusError } from '../modbus/unit-client';
import type { SunspecMap, SunspecModelEntry } from './discovery';
import { encodePointWrite } from './encode';
import { fixedCount, locatePoint, type CountLookup } from './layout';
import type { SunspecInput, SunspecPointDef } from './model-types';

export interface ControlPointWrite {
  /** Point name, e.g. "WMaxLimPct". */
  readonly point: string;
  readonly value: SunspecInput;
}

export interface ControlCommand {
  readonly modelId: number;
  /** Written in this order; list enable flags last. */
  readonly writes: readonly ControlPointWrite[];
}

export type ControlErrorCode =
  | 'not_discovered' // the device's map is not known yet
  | 'model_missing'
  | 'unknown_point'
  | 'read_only'
  | 'out_of_range'
  | 'wrong_type'
  | 'no_scale_factor'
  | 'stale_map' // the model is no longer where discovery found it: nothing written
  | 'write_failed' // a Modbus failure during the write phase; `written` says what went out
  | 'readback_mismatch' // written, but the device holds other values
  | 'superseded' // a newer write of the same points replaced this one before it went out
  | 'closed';

export interface ControlError extends Problem {
  code: ControlErrorCode;
  modelId?: number;
  point?: string;
  /** Points written before the failure. */
  written?: readonly string[];
  cause?: ModbusError;
}

export interface ControlTarget {
  readonly point: SunspecPointDef;
  readonly value: SunspecInput;
  /** Register address of the point. */
  readonly address: number;
  /** Register address of its scale-factor point, if it has one. */
  readonly sfAddress: number | null;
}

export interface PreparedControl {
  readonly model: SunspecModelEntry;
  readonly targets: readonly ControlTarget[];
}

export interface ControlOutcome {
  readonly modelId: number;
  /** `verified`: read back equal; false where the device refuses to read the register back. */
  readonly points: readonly { point: string; value: SunspecInput; verified: boolean }[];
}

export const controlError = (
  code: ControlErrorCode,
  message: string,
  extra: Omit<ControlError, 'code' | 'message'> = {},
): ControlError => ({ code, message, ...extra });

/** Counts of the groups before top-level points do not matter; control points sit in the fixed block. */
const counts: CountLookup = (g) => fixedCount(g) ?? (g.count === 0 ? 0 : undefined);

/**
 * Checks a command against the map. `cachedSf` gives the last read value of a scale-factor
 * register (undefined: not read yet, the range check then happens in the write phase).
 */
export function prepareControl(
  map: SunspecMap,
  command: ControlCommand,
  cachedSf: (address: number) => number | null | undefined = () => undefined,
): Result<PreparedControl, ControlError> {
  const { modelId } = command;
  const model = map.models.find((m) => m.id === modelId);
  if (!model?.def)
    return fail(
      controlError('model_missing', `the device has no SunSpec model ${modelId}`, { modelId }),
    );
  if (command.writes.length === 0)
    return fail(controlError('unknown_point', 'the command writes no points', { modelId }));
  const targets: ControlTarget[] = [];
  for (const { point: name, value } of command.writes) {
    const where = { modelId, point: name };
    const located = locatePoint(model.def, name, [], counts);
    if (!located.ok || located.value.offset + located.value.point.size > model.length) {
      const why = located.ok ? `lies past this device's L=${model.length}` : 'does not exist';
      return fail(controlError('unknown_point', `model ${modelId}: ${name} ${why}`, where));
    }
    const { point, offset, sfOffset } = located.value;
    const sfAddress = sfOffset === null ? null : model.address + 2 + sfOffset;
    const target = { point, value, address: model.address + 2 + offset, sfAddress };
    const sf = sfAddress === null ? null : cachedSf(sfAddress);
    const encoded = encodeTarget(model, target, sf);
    // Without a scale factor read yet, only its own check waits for the write phase.
    if (!encoded.ok && !(encoded.error.code === 'no_scale_factor' && sf === undefined))
      return encoded;
    targets.push(target);
  }
  return ok({ model, targets });
}

/** The words for one target at scale factor `sf`, or the refusal. */
export function encodeTarget(
  model: SunspecModelEntry,
  target: ControlTarget,
  sf: number | null | undefined,
): Result<Uint16Array, ControlError> {
  const { point, value } = target;
  const where = { modelId: model.id, point: point.name };
  const encoded = encodePointWrite(model.def!, point.name, value, sf ?? null);
  if (!encoded.ok)
    return fail(controlError(refusalCode(encoded.error.code), encoded.error.message, where));
  const symbols = point.symbols;
  if (symbols && point.type.startsWith('enum') && !Object.values(symbols).includes(Number(value))) {
    const allowed = Object.entries(symbols)
      .map(([k, v]) => `${v}=${k}`)
      .join(', ');
    return fail(
      controlError(
        'out_of_range',
        `model ${model.id} ${point.name}: ${String(value)} is not one of ${allowed}`,
        where,
      ),
    );
  }
  return ok(encoded.value.words);
}

const ENCODE_REFUSALS = new Set<string>([
  'read_only',
  'out_of_range',
  'wrong_type',
  'no_scale_factor',
]);

function refusalCode(code: string): ControlErrorCode {
  return ENCODE_REFUSALS.has(code) ? (code as ControlErrorCode) : 'unknown_point';
}
