// A simulated device driven by a profile: values are set in engineering units and encoded
// exactly as the profile says the real device does (word and byte order, scale, sign), so a
// ProfilePoller reading it proves the profile's round trip. Writes from a client are
// accepted only on the profile's writable points and inside their range, like a device
// that checks its setpoints.
import { fail, ok, type Problem, type Result } from '../../core/result';
import { decodeBit, decodeRegisters, encodePoint } from '../profiles/point-codec';
import type {
  DeviceProfile,
  PointValue,
  ProfilePoint,
  ReadFunction,
} from '../profiles/profile-types';
import {
  ILLEGAL_ADDRESS,
  ILLEGAL_FUNCTION,
  ILLEGAL_VALUE,
  type HandlerResult,
  type ModbusUnitHandler,
} from './modbus-unit-handler';

export interface ProfileDeviceOptions {
  /** Reads of addresses no point covers: zeros (default) or exception 02, as strict devices do. */
  unlisted?: 'zero' | 'illegal-address';
}

export type WriteListener = (name: string, value: PointValue) => void;

const exception = (exceptionCode: number): { ok: false; error: { exceptionCode: number } } => ({
  ok: false,
  error: { exceptionCode },
});

export class ProfileDevice implements ModbusUnitHandler {
  private readonly words = { 3: new Map<number, number>(), 4: new Map<number, number>() };
  private readonly bits = { 1: new Map<number, boolean>(), 2: new Map<number, boolean>() };
  /** Table and address → the point covering it. */
  private readonly owners = new Map<string, ProfilePoint>();
  private readonly refusals: { fc: ReadFunction; start: number; end: number }[] = [];
  private readonly listeners = new Set<WriteListener>();
  private readonly unlisted: 'zero' | 'illegal-address';

  constructor(
    readonly profile: DeviceProfile,
    options: ProfileDeviceOptions = {},
  ) {
    this.unlisted = options.unlisted ?? 'zero';
    for (const point of profile.points)
      for (let a = point.address; a < point.address + point.size; a++)
        this.owners.set(`${point.function}:${a}`, point);
  }

  /** Sets a point in engineering units (null = the point's "no value" encoding). */
  set(name: string, value: PointValue): Result<void, Problem> {
    const point = this.point(name);
    if (!point)
      return fail({ code: 'unknown_point', message: `${this.profile.id} has no point "${name}"` });
    const encoded = encodePoint(point, value, false);
    if (!encoded.ok) return encoded;
    this.store(point, encoded.value);
    return ok(undefined);
  }

  /** Sets several points; stops at the first that cannot be encoded. */
  setAll(values: Readonly<Record<string, PointValue>>): Result<void, Problem> {
    for (const [name, value] of Object.entries(values)) {
      const done = this.set(name, value);
      if (!done.ok) return done;
    }
    return ok(undefined);
  }

  /** A point's value as the device holds it now (after encoding, so rounding shows). */
  get(name: string): PointValue {
    const point = this.point(name);
    if (!point) return null;
    if (point.function === 1 || point.function === 2)
      return decodeBit(point, this.bits[point.function].get(point.address) ?? false);
    const table = this.words[point.function];
    const words = Array.from({ length: point.size }, (_, i) => table.get(point.address + i) ?? 0);
    return decodeRegisters(point, words);
  }

  /** Reads touching these addresses get exception 02 from now on. */
  refuse(fc: ReadFunction, address: number, count = 1): void {
    this.refusals.push({ fc, start: address, end: address + count });
  }

  /** Called after every accepted write, once per point written; returns a disposer. */
  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  readHoldingRegisters(address: number, count: number): HandlerResult<number[]> {
    return this.readWords(3, address, count);
  }

  readInputRegisters(address: number, count: number): HandlerResult<number[]> {
    return this.readWords(4, address, count);
  }

  readCoils(address: number, count: number): HandlerResult<boolean[]> {
    return this.readBits(1, address, count);
  }

  readDiscreteInputs(address: number, count: number): HandlerResult<boolean[]> {
    return this.readBits(2, address, count);
  }

  writeRegisters(address: number, values: readonly number[]): HandlerResult<void> {
    return this.write(3, address, values.length, (point) =>
      decodeRegisters(
        point,
        values.slice(point.address - address, point.address - address + point.size),
      ),
    );
  }

  writeCoils(address: number, values: readonly boolean[]): HandlerResult<void> {
    return this.write(
      1,
      address,
      values.length,
      (point) => values[point.address - address] ?? false,
    );
  }

  private point(name: string): ProfilePoint | undefined {
    return this.profile.points.find((p) => p.name === name);
  }

  private store(point: ProfilePoint, encoded: readonly (number | boolean)[]): void {
    encoded.forEach((item, i) => {
      if (typeof item === 'boolean') {
        if (point.function === 1 || point.function === 2)
          this.bits[point.function].set(point.address + i, item);
      } else if (point.function === 3 || point.function === 4) {
        this.words[point.function].set(point.address + i, item);
      }
    });
  }

  private readable(fc: ReadFunction, address: number, count: number): number | null {
    if (!this.profile.points.some((p) => p.function === fc)) return ILLEGAL_FUNCTION;
    const end = address + count;
    if (this.refusals.some((r) => r.fc === fc && address < r.end && r.start < end))
      return ILLEGAL_ADDRESS;
    if (this.unlisted === 'illegal-address')
      for (let a = address; a < end; a++)
        if (!this.owners.has(`${fc}:${a}`)) return ILLEGAL_ADDRESS;
    return null;
  }

  private readWords(fc: 3 | 4, address: number, count: number): HandlerResult<number[]> {
    const refused = this.readable(fc, address, count);
    if (refused !== null) return exception(refused);
    return ok(Array.from({ length: count }, (_, i) => this.words[fc].get(address + i) ?? 0));
  }

  private readBits(fc: 1 | 2, address: number, count: number): HandlerResult<boolean[]> {
    const refused = this.readable(fc, address, count);
    if (refused !== null) return exception(refused);
    return ok(Array.from({ length: count }, (_, i) => this.bits[fc].get(address + i) ?? false));
  }

  /**
   * Accepts a write only if every address belongs to a writable point that the write
   * covers whole, and every new value is inside the point's range; otherwise nothing changes.
   */
  private write(
    fc: 1 | 3,
    address: number,
    count: number,
    decode: (point: ProfilePoint) => PointValue,
  ): HandlerResult<void> {
    if (!this.profile.points.some((p) => p.function === fc)) return exception(ILLEGAL_FUNCTION);
    const points = new Set<ProfilePoint>();
    for (let a = address; a < address + count; a++) {
      const point = this.owners.get(`${fc}:${a}`);
      if (!point?.writable) return exception(ILLEGAL_ADDRESS);
      points.add(point);
    }
    const updates: [ProfilePoint, PointValue, (number | boolean)[]][] = [];
    for (const point of points) {
      if (point.address < address || point.address + point.size > address + count)
        return exception(ILLEGAL_VALUE);
      const value = decode(point);
      const encoded = encodePoint(point, value, true);
      if (!encoded.ok) return exception(ILLEGAL_VALUE);
      updates.push([point, value, encoded.value]);
    }
    for (const [point, value, encoded] of updates) {
      this.store(point, encoded);
      this.listeners.forEach((listener) => listener(point.name, value));
    }
    return ok(undefined);
  }
}
