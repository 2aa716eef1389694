// A complete SunSpec register image for the device simulators: marker, models, end
// marker. It knows no network: a Modbus server calls readRegisters/writeRegisters, the
// physics loop calls setPoint/getPoint, and onWrite tells the simulator what the station
// wrote. Accumulators read 0 as "not implemented": start simulated counters at 1 or more.
import { fail, ok, type Result } from '../../core/result';
import {
  exceptionError,
  MAX_READ_REGISTERS,
  MAX_WRITE_REGISTERS,
  type ModbusError,
} from '../modbus/unit-client';
import { decodeModel, scaleRaw } from './decode';
import { SUNSPEC_MARKER, type SunspecModelEntry } from './discovery';
import { encodeModel, type EncodeOptions } from './encode';
import { buildWriteMap, pointsForWrite, type PlacedModel } from './image-write-map';
import { decodeCounts, locatePoint, type PointLocation } from './layout';
import { getModelDef } from './model-table';
import type {
  DecodedModel,
  SunspecInput,
  SunspecModelDef,
  SunspecValue,
  SunspecValues,
} from './model-types';
import { decodePointRaw, decodeSunssf } from './point-decode';
import { encodePointValue } from './point-encode';
import { sunspecError, type SunspecError } from './sunspec-error';

export interface ImageModelSpec extends EncodeOptions {
  readonly id: number;
  readonly values?: SunspecValues;
  /** A raw body instead of values: for vendor models, or deliberately broken ones in tests. */
  readonly body?: ArrayLike<number>;
}

export interface SunspecImageOptions {
  /** Register address of the 'SunS' marker. */
  readonly baseAddress?: number;
  readonly models: readonly ImageModelSpec[];
  /** Some devices omit the 0xFFFF end marker; simulate them with false. */
  readonly endMarker?: boolean;
}

/** A model id (its first occurrence), or the n-th occurrence of an id counting from 0. */
export type ModelRef = number | { readonly id: number; readonly occurrence: number };

export interface WrittenPoint {
  readonly modelId: number;
  /** Address of the model's ID register. */
  readonly modelAddress: number;
  /** Group path and point name, e.g. "WMaxLimPct" or "Crv.Pt.V". */
  readonly path: string;
  readonly groupIndex: readonly number[];
}

export interface SunspecImage {
  readonly baseAddress: number;
  /** The live registers, from the marker at baseAddress on. */
  readonly words: Uint16Array;
  readonly models: readonly SunspecModelEntry[];
  /** Holding-register read as a device answers it: illegal address outside the image. */
  readRegisters(address: number, count: number): Result<Uint16Array, ModbusError>;
  /** Accepts only whole writable (rw) points; refuses as a device would. */
  writeRegisters(address: number, values: ArrayLike<number>): Result<void, ModbusError>;
  /** Sets a point in engineering units, read-only points included (the physics loop owns them). */
  setPoint(
    model: ModelRef,
    pointName: string,
    value: SunspecInput,
    groupIndex?: number | readonly number[],
  ): Result<void, SunspecError>;
  /** A point's current scaled value. Throws on an unknown model or point: a simulator bug. */
  getPoint(
    model: ModelRef,
    pointName: string,
    groupIndex?: number | readonly number[],
  ): SunspecValue;
  /** The whole model as decoded values. */
  getModel(model: ModelRef): DecodedModel;
  /** Called after each accepted writeRegisters with the points it wrote; returns a disposer. */
  onWrite(listener: (points: readonly WrittenPoint[]) => void): () => void;
}

function modelBody(spec: ImageModelSpec): { def: SunspecModelDef | null; body: Uint16Array } {
  const def = getModelDef(spec.id) ?? null;
  if (spec.body) return { def, body: Uint16Array.from(spec.body) };
  if (!def)
    throw new RangeError(`no definition for SunSpec model ${spec.id}: give its body as raw words`);
  return { def, body: encodeModel(def, spec.values ?? {}, spec) };
}

export function buildSunspecImage(options: SunspecImageOptions): SunspecImage {
  const baseAddress = options.baseAddress ?? 40000;
  const bodies = options.models.map(modelBody);
  const total =
    2 +
    bodies.reduce((sum, b) => sum + 2 + b.body.length, 0) +
    (options.endMarker === false ? 0 : 2);
  if (baseAddress < 0 || baseAddress + total > 0x10000) {
    throw new RangeError(`a ${total}-register image does not fit at ${baseAddress}`);
  }
  const words = new Uint16Array(total);
  words.set(SUNSPEC_MARKER, 0);
  const entries: SunspecModelEntry[] = [];
  const placed: PlacedModel[] = [];
  let index = 2;
  for (const { def, body } of bodies) {
    const id = options.models[entries.length]!.id;
    words.set([id, body.length], index);
    words.set(body, index + 2);
    entries.push({ id, address: baseAddress + index, length: body.length, def });
    const counts = def ? decodeCounts(def, body, body.length) : null;
    placed.push({ def, counts: counts?.ok ? counts.value : null, bodyStart: index + 2 });
    index += 2 + body.length;
  }
  if (options.endMarker !== false) words.set([0xffff, 0], index);

  const writeMap = buildWriteMap(placed, total);
  const listeners = new Set<(points: readonly WrittenPoint[]) => void>();
  const outside = (address: number, count: number): ModbusError => ({
    ...exceptionError(2),
    message: `registers ${address}..${address + count - 1} are outside ${baseAddress}..${baseAddress + total - 1}`,
  });
  const badQuantity = (count: number, max: number): ModbusError => ({
    ...exceptionError(3),
    message: `quantity ${count} is outside 1..${max}`,
  });

  const resolve = (ref: ModelRef): Result<number, SunspecError> => {
    const id = typeof ref === 'number' ? ref : ref.id;
    const occurrence = typeof ref === 'number' ? 0 : ref.occurrence;
    const found = entries.map((e, i) => (e.id === id ? i : -1)).filter((i) => i >= 0)[occurrence];
    if (found === undefined || !placed[found]!.def || !placed[found]!.counts) {
      return fail(
        sunspecError(
          'unknown_model',
          `the image has no decodable model ${id} (occurrence ${occurrence})`,
        ),
      );
    }
    return ok(found);
  };
  const locate = (ref: ModelRef, name: string, groupIndex: number | readonly number[] = []) => {
    const at = resolve(ref);
    if (!at.ok) return at;
    const m = placed[at.value]!;
    const indices = typeof groupIndex === 'number' ? [groupIndex] : groupIndex;
    const located = locatePoint(m.def!, name, indices, m.counts!);
    return located.ok ? ok({ model: m, location: located.value }) : located;
  };
  const sfAt = (m: PlacedModel, location: PointLocation): number | null =>
    location.sfOffset === null ? null : decodeSunssf(words, m.bodyStart + location.sfOffset);

  return {
    baseAddress,
    words,
    models: entries,
    readRegisters(address, count) {
      if (!Number.isInteger(count) || count < 1 || count > MAX_READ_REGISTERS)
        return fail(badQuantity(count, MAX_READ_REGISTERS));
      if (address < baseAddress || address + count > baseAddress + total)
        return fail(outside(address, count));
      return ok(words.slice(address - baseAddress, address - baseAddress + count));
    },
    writeRegisters(address, values) {
      const count = values.length;
      if (count < 1 || count > MAX_WRITE_REGISTERS)
        return fail(badQuantity(count, MAX_WRITE_REGISTERS));
      if (address < baseAddress || address + count > baseAddress + total)
        return fail(outside(address, count));
      const covered = pointsForWrite(
        writeMap,
        address - baseAddress,
        values,
        (i) => baseAddress + i,
      );
      if (!Array.isArray(covered)) return fail(covered);
      words.set(
        Array.from(values, (v) => v & 0xffff),
        address - baseAddress,
      );
      const written = covered.map((p) => ({
        modelId: entries[p.modelIndex]!.id,
        modelAddress: entries[p.modelIndex]!.address,
        path: p.path,
        groupIndex: p.groupIndex,
      }));
      for (const listener of listeners) listener(written);
      return ok(undefined);
    },
    setPoint(ref, name, value, groupIndex) {
      const found = locate(ref, name, groupIndex);
      if (!found.ok) return found;
      const { model, location } = found.value;
      const encoded = encodePointValue(
        location.point,
        value,
        sfAt(model, location),
        location.label,
      );
      if (!encoded.ok) return encoded;
      words.set(encoded.value, model.bodyStart + location.offset);
      return ok(undefined);
    },
    getPoint(ref, name, groupIndex) {
      const found = locate(ref, name, groupIndex);
      if (!found.ok) throw new Error(found.error.message);
      const { model, location } = found.value;
      const raw = decodePointRaw(location.point, words, model.bodyStart + location.offset);
      const { sf } = location.point;
      return scaleRaw(location.point, raw, typeof sf === 'number' ? sf : sfAt(model, location));
    },
    getModel(ref) {
      const at = resolve(ref);
      if (!at.ok) throw new Error(at.error.message);
      const { def, bodyStart } = placed[at.value]!;
      const length = entries[at.value]!.length;
      const decoded = decodeModel(def!, words.subarray(bodyStart, bodyStart + length), length);
      if (!decoded.ok) throw new Error(decoded.error.message);
      return decoded.value;
    },
    onWrite(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
