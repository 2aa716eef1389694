// Polls one device described by a profile (resources/profiles/): reads the profile's points
// in as few reads as the device allows, decodes them and reports the canonical ones.
//
// - Fast points are read every poll; slow points (counters, ratings, identity) on the first
//   poll and then every `slowIntervalMs`. In between, a poll that reached the device repeats
//   the slow values it last read, so they do not turn "stale" between slow reads.
// - A read the device refuses (exception 02/03) is split into single-point reads at once and
//   for good; a point refused on its own is null. The other points stay readable, and the
//   device shows "Partly working" naming the refused points.
// - A link or device failure (timeout, 04, gateway…) ends the poll: every further read
//   would wait for the same timeout.
import type { DevicePoller } from '../../core/points/device-poller';
import type { DeviceSetpoint, SetpointResult } from '../../core/points/device-setpoint';
import type { PointName } from '../../core/points/point-names';
import type { DeviceIdentity, DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import { fail, ok, type Problem, type Result } from '../../core/result';
import type { DeviceConfig } from '../../core/site/site-types';
import type { ModbusUnit } from '../modbus/modbus-unit';
import type { ModbusError, ModbusResult } from '../modbus/unit-client';
import { decodeBit, decodeRegisters, encodePoint } from '../profiles/point-codec';
import { describeRange, planReads, type ReadRange } from '../profiles/profile-read-plan';
import type { DeviceProfile, PointValue, ProfilePoint } from '../profiles/profile-types';

export type ProfileUnit = Pick<
  ModbusUnit,
  | 'readHoldingRegisters'
  | 'readInputRegisters'
  | 'readCoils'
  | 'readDiscreteInputs'
  | 'writeRegisters'
  | 'writeCoil'
  | 'health'
>;

export interface ProfilePollerOptions {
  nowMs?: () => number;
  /** How often slow points are read (default one minute). */
  slowIntervalMs?: number;
}

export interface LatestValue {
  value: PointValue;
  unit: string;
  tsMs: number;
}

const REFUSED = new Set<ModbusError['code']>(['illegal_address', 'illegal_value']);

export class ProfilePoller implements DevicePoller {
  readonly deviceId: string;
  private readonly nowMs: () => number;
  private readonly slowIntervalMs: number;
  private readonly isolated = new Set<string>();
  private readonly slowCache = new Map<string, PointValue>();
  private readonly latest = new Map<string, LatestValue>();
  private lastSlowMs: number | null = null;
  private identity: DeviceIdentity | null = null;
  private refused: string | null = null;
  private lastCompleteMs: number | null = null;

  constructor(
    device: DeviceConfig,
    readonly profile: DeviceProfile,
    private readonly unit: ProfileUnit,
    options: ProfilePollerOptions = {},
  ) {
    this.deviceId = device.id;
    this.nowMs = options.nowMs ?? Date.now;
    this.slowIntervalMs = options.slowIntervalMs ?? 60_000;
  }

  async poll(): Promise<DeviceReading | null> {
    const startMs = this.nowMs();
    const slowDue = this.lastSlowMs === null || startMs - this.lastSlowMs >= this.slowIntervalMs;
    const points = this.profile.points.filter((p) => slowDue || p.poll === 'fast');
    const queue = planReads(points, this.profile.defaults, this.isolated);
    const values = new Map<string, PointValue>();
    const refused: string[] = [];
    let linkError: ModbusError | null = null;
    let answered = false;
    for (let range = queue.shift(); range; range = queue.shift()) {
      const result = await this.read(range);
      if (result.ok) {
        answered = true;
        for (const point of range.points)
          values.set(point.name, decodeAt(point, range, result.value));
      } else if (REFUSED.has(result.error.code) && range.points.length > 1) {
        answered = true;
        range.points.forEach((p) => this.isolated.add(p.name));
        queue.unshift(...planReads(range.points, this.profile.defaults, this.isolated));
      } else if (REFUSED.has(result.error.code) || result.error.code === 'illegal_function') {
        answered = true;
        for (const point of range.points) values.set(point.name, null);
        refused.push(`${range.points.map((p) => p.name).join(', ')} (${describeRange(range)})`);
      } else {
        linkError = result.error;
        break;
      }
    }
    if (!answered) return null;
    const endMs = this.nowMs();
    if (slowDue && !linkError) this.lastSlowMs = startMs;
    for (const point of this.profile.points) {
      if (point.poll !== 'slow') continue;
      if (values.has(point.name)) this.slowCache.set(point.name, values.get(point.name) ?? null);
      else if (this.slowCache.has(point.name))
        values.set(point.name, this.slowCache.get(point.name) ?? null);
    }
    this.refused = refused.length ? `refused by the device: ${refused.join('; ')}` : null;
    if (!linkError && !refused.length) this.lastCompleteMs = endMs;
    this.remember(values, endMs);
    return { deviceId: this.deviceId, tsMs: endMs, values: this.canonical(values) };
  }

  status(): DeviceStatus {
    const health = this.unit.health();
    const linkMessage = health.lastError ? health.lastError.message : null;
    const neverPolled = health.lastGoodMs === null && health.errorCount === 0;
    return {
      id: this.deviceId,
      state: neverPolled
        ? 'connecting'
        : health.state === 'ok' && this.refused
          ? 'degraded'
          : health.state,
      lastGoodReadMs: this.lastCompleteMs,
      latencyMs: health.lastLatencyMs === null ? null : Math.round(health.lastLatencyMs * 10) / 10,
      errorCount: health.errorCount,
      lastError:
        health.state !== 'ok' ? (linkMessage ?? this.refused) : (this.refused ?? linkMessage),
      identity: this.identity,
    };
  }

  /** Every point's last value, extras included (for commissioning tools). */
  latestValues(): ReadonlyMap<string, LatestValue> {
    return this.latest;
  }

  /** Writes a writable point in engineering units (range checked against the profile). */
  async writePoint(name: string, value: PointValue): Promise<Result<void, Problem>> {
    const point = this.profile.points.find((p) => p.name === name);
    if (!point)
      return fail({ code: 'unknown_point', message: `${this.profile.id} has no point "${name}"` });
    const encoded = encodePoint(point, value, true);
    if (!encoded.ok) return encoded;
    const [first] = encoded.value;
    const written: ModbusResult<void> =
      typeof first === 'boolean'
        ? await this.unit.writeCoil(point.address, first)
        : await this.unit.writeRegisters(point.address, encoded.value as number[]);
    return written.ok
      ? ok(undefined)
      : fail({ code: written.error.code, message: written.error.message });
  }

  /**
   * A load switch of the control layer, on profiles with a writable bool `switchOn`. When
   * switching off, the revert time goes to `offRevertS` first (if the profile has it): the
   * device reads it as the switch opens, and a shed load must come back on by itself if the
   * station stops re-writing. Written at once: the link's queue puts it before the next poll.
   */
  async apply(setpoint: DeviceSetpoint): Promise<SetpointResult> {
    if (setpoint.kind !== 'load')
      return fail({
        code: 'unsupported',
        message: `${this.profile.id} takes load switching only, not ${setpoint.kind}`,
      });
    const point = (name: string): ProfilePoint | undefined =>
      this.profile.points.find((p) => p.name === name && p.writable !== null);
    const switchOn = point('switchOn');
    if (!switchOn || switchOn.type !== 'bool')
      return fail({
        code: 'unsupported',
        message: `${this.profile.id} has no writable switchOn point: it cannot switch a load`,
      });
    if (!setpoint.on && point('offRevertS')) {
      const revert = await this.writePoint('offRevertS', setpoint.revertSeconds);
      // Never shed without the revert timer the envelope asked for.
      if (!revert.ok) return revert;
    }
    const written = await this.writePoint('switchOn', setpoint.on);
    return written.ok ? ok({ appliedValue: setpoint.on }) : written;
  }

  async close(): Promise<void> {
    // The link is shared with other units and closed by its pool.
  }

  private read(range: ReadRange): Promise<ModbusResult<ArrayLike<number> | readonly boolean[]>> {
    switch (range.function) {
      case 1:
        return this.unit.readCoils(range.address, range.count);
      case 2:
        return this.unit.readDiscreteInputs(range.address, range.count);
      case 3:
        return this.unit.readHoldingRegisters(range.address, range.count);
      case 4:
        return this.unit.readInputRegisters(range.address, range.count);
    }
  }

  private remember(values: ReadonlyMap<string, PointValue>, tsMs: number): void {
    for (const point of this.profile.points) {
      if (values.has(point.name))
        this.latest.set(point.name, {
          value: values.get(point.name) ?? null,
          unit: point.unit,
          tsMs,
        });
    }
    const text = (name: string): string | null => {
      const value = this.latest.get(name)?.value;
      return value === null || value === undefined ? null : String(value);
    };
    this.identity = {
      manufacturer: this.profile.manufacturer,
      model: this.profile.model,
      serialNumber: text('serialNumber'),
      version: text('firmwareVersion'),
    };
  }

  private canonical(
    values: ReadonlyMap<string, PointValue>,
  ): Partial<Record<PointName, number | null>> {
    const out: Partial<Record<PointName, number | null>> = {};
    for (const point of this.profile.points) {
      const value = values.get(point.name);
      if (point.canonical && value !== undefined)
        out[point.name as PointName] = typeof value === 'number' ? value : null;
    }
    return out;
  }
}

function decodeAt(
  point: ProfilePoint,
  range: ReadRange,
  data: ArrayLike<number> | readonly boolean[],
): PointValue {
  const at = point.address - range.address;
  if (point.type === 'bool') return decodeBit(point, (data as readonly boolean[])[at]);
  return decodeRegisters(point, Array.prototype.slice.call(data, at, at + point.size) as number[]);
}
