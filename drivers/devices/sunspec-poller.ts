// Polls one SunSpec device: discovers its model map once (again after a reboot or a swap
// changed it), then each cycle first sends the control writes submitted since the last
// one, and then reads the registers the role's canonical points need, merged into block
// reads across models (poll-engine.ts). Fast points are read every cycle, slow ones
// (energy, ratings, identity) every Nth; the poller reports the latest value of each.
//
// A renumbered map is noticed from the ID/L headers of the models each cycle reads
// (they ride along in the merged blocks at little cost): a header that changed or became
// unreadable, or a serial number that changed, drops the map and the next poll
// re-discovers it. Registers the device refuses make only their points null.
import type { DevicePoller } from '../../core/points/device-poller';
import type { DeviceSetpoint, SetpointResult } from '../../core/points/device-setpoint';
import type { DeviceIdentity, DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import { parseDeviceUrl } from '../../core/site/device-url';
import { fail, type Result } from '../../core/result';
import type { DeviceConfig } from '../../core/site/site-types';
import type { ModbusUnit } from '../modbus/modbus-unit';
import { DEFAULT_LINK_COST, linkCostFor, maxGapRegs } from '../modbus/poll-cost';
import { PollEngine } from '../modbus/poll-engine';
import type { SlowPolicy } from '../modbus/poll-schedule';
import type { PollClass, Span } from '../modbus/poll-types';
import { executeControl } from '../sunspec/control-execute';
import {
  prepareControl,
  type ControlCommand,
  type ControlError,
  type ControlOutcome,
} from '../sunspec/control-writes';
import {
  discoverSunspec,
  readIdentity,
  type DiscoveryOptions,
  type SunspecIdentity,
  type SunspecMap,
} from '../sunspec/discovery';
import { decodeSunssf } from '../sunspec/point-decode';
import { SUNSPEC_CANONICAL_MAP, type CanonicalMap } from './sunspec-canonical-map';
import { SUNSPEC_POLL_CLASSES } from './sunspec-poll-classes';
import { canonicalValues, checkHeaders, identityFrom } from './sunspec-point-values';
import { buildReadPlan, type SunspecReadPlan } from './sunspec-read-plan';
import { batteryJob, pvLimitCommand } from './sunspec-setpoints';

export interface SunspecPollerOptions {
  /** Largest gap of unneeded registers in one read; default from the device URL's transport. */
  maxGapRegs?: number;
  slow?: Partial<SlowPolicy>;
  discovery?: DiscoveryOptions;
  /** Registers known to be unreadable (e.g. vendor quirks), planned around from the first cycle. */
  knownUnreadable?: (map: SunspecMap, identity: SunspecIdentity | null) => readonly Span[];
}

interface Session {
  readonly map: SunspecMap;
  readonly plan: SunspecReadPlan;
}

export interface CycleStats {
  readonly requests: number;
  readonly writes: number;
  /** The poll classes the cycle read. */
  readonly classes: readonly PollClass[];
  /** Canonical points with a source the device refuses to read. */
  readonly unreadable: number;
}

export class SunspecPoller implements DevicePoller {
  readonly deviceId: string;
  private readonly map: CanonicalMap;
  private readonly engine: PollEngine;
  private session: Session | null = null;
  private identity: DeviceIdentity | null = null;
  /** A failure above the wire (no SunSpec map, stale map): the unit answers but is useless. */
  private problem: string | null = null;
  private problemCount = 0;
  private stats: CycleStats | null = null;

  constructor(
    device: DeviceConfig,
    private readonly unit: ModbusUnit,
    private readonly nowMs: () => number = Date.now,
    private readonly options: SunspecPollerOptions = {},
  ) {
    this.deviceId = device.id;
    this.map = SUNSPEC_CANONICAL_MAP[device.role];
    const endpoint = parseDeviceUrl(device.url);
    const cost = endpoint.ok ? linkCostFor(endpoint.value) : DEFAULT_LINK_COST;
    this.engine = new PollEngine(unit, {
      maxGapRegs: options.maxGapRegs ?? maxGapRegs(cost),
      slow: options.slow,
      nowMs,
    });
  }

  async poll(): Promise<DeviceReading | null> {
    if (!this.session && !(await this.discover())) return null;
    const session = this.session;
    if (!session) return null;
    const cycle = await this.engine.runCycle(session.plan.ranges);
    if (!cycle.ok) return this.fail(`${cycle.error.code}: ${cycle.error.message}`);
    const { values, unreadable } = cycle.value;
    const headers = checkHeaders(session.plan, values, unreadable);
    if (!headers.ok) return this.lose(session, headers.error.message);
    const identity = identityFrom(session.plan, values);
    if (identity) {
      const before = this.identity?.serialNumber;
      if (before && identity.serialNumber !== before)
        return this.lose(
          session,
          `serial number changed from ${before} to ${identity.serialNumber}`,
        );
      this.identity = identity;
    }
    this.problem = null;
    const reported = canonicalValues(session.plan, this.engine.latest());
    this.stats = {
      requests: cycle.value.requests,
      writes: cycle.value.writes,
      classes: [...cycle.value.classes],
      unreadable: session.plan.points.filter((p) =>
        p.sources.some((s) => s.range && !this.engine.latest().has(s.range)),
      ).length,
    };
    return { deviceId: this.deviceId, tsMs: this.nowMs(), values: reported };
  }

  /**
   * Queues a control command for the start of the next cycle. Refusals that need no I/O
   * (no such model or point, read-only, out of range at the last read scale factor) come
   * back at once with nothing sent.
   */
  async control(command: ControlCommand): Promise<Result<ControlOutcome, ControlError>> {
    const session = this.session;
    if (!session)
      return fail({ code: 'not_discovered', message: 'the device has not been discovered yet' });
    const latest = this.engine.latest();
    const prepared = prepareControl(session.map, command, (address) => {
      const words = latest.words({ fc: 3, address, count: 1 });
      return words ? decodeSunssf(words, 0) : undefined;
    });
    if (!prepared.ok) return prepared;
    const key = `sunspec:${command.modelId}:${command.writes.map((w) => w.point).join(',')}`;
    const result = await this.engine.submitWrite((io) => executeControl(io, prepared.value), key);
    if (!result.ok && result.error.code === 'stale_map' && this.session === session)
      this.lose(session, result.error.message);
    return result;
  }

  /**
   * A setpoint of the control layer, sent first in the next cycle: a PV limit (704/123) or
   * a battery power (124, against the device's own WChaMax). Loads are not SunSpec.
   */
  async apply(setpoint: DeviceSetpoint): Promise<SetpointResult> {
    const session = this.session;
    if (!session)
      return fail({ code: 'not_discovered', message: 'the device has not been discovered yet' });
    if (setpoint.kind === 'pv-limit') {
      const latest = this.engine.latest();
      const command = pvLimitCommand(session.map, setpoint, (address) => {
        const words = latest.words({ fc: 3, address, count: 1 });
        return words ? decodeSunssf(words, 0) : undefined;
      });
      if (!command.ok) return command;
      const done = await this.control(command.value);
      const written = command.value.writes.find((w) => w.point === 'WMaxLimPct')?.value;
      return done.ok
        ? { ok: true, value: { appliedValue: typeof written === 'number' ? written : null } }
        : done;
    }
    if (setpoint.kind === 'battery') {
      const done = await this.engine.submitWrite(
        (io) => batteryJob(io, session.map, setpoint),
        'sunspec:124:setpoint',
      );
      return done.ok ? { ok: true, value: { appliedValue: setpoint.powerW } } : done;
    }
    return fail({ code: 'unsupported', message: 'a SunSpec device takes no load switching' });
  }

  /** The last good cycle's request count and unreadable points, for diagnostics and benchmarks. */
  lastCycle(): CycleStats | null {
    return this.stats;
  }

  sunspecMap(): SunspecMap | null {
    return this.session?.map ?? null;
  }

  status(): DeviceStatus {
    const health = this.unit.health();
    const degradedByProblem = this.problem !== null && health.state === 'ok';
    return {
      id: this.deviceId,
      state:
        health.lastGoodMs === null && health.errorCount === 0 && !this.problem
          ? 'connecting'
          : degradedByProblem
            ? 'degraded'
            : health.state,
      lastGoodReadMs: this.problem ? null : health.lastGoodMs,
      latencyMs: health.lastLatencyMs === null ? null : Math.round(health.lastLatencyMs * 10) / 10,
      errorCount: health.errorCount + this.problemCount,
      lastError: this.problem ?? (health.lastError ? health.lastError.message : null),
      identity: this.identity,
    };
  }

  async close(): Promise<void> {
    // The link is shared with other units and closed by its pool; pending writes settle.
    this.engine.close();
  }

  private async discover(): Promise<boolean> {
    const found = await discoverSunspec(this.unit, this.options.discovery);
    if (!found.ok) return this.fail(found.error.message) !== null;
    const identity = await readIdentity(this.unit, found.value);
    const known = identity.ok ? identity.value : null;
    if (known) {
      const { manufacturer, model, serialNumber, version } = known;
      this.identity = { manufacturer, model, serialNumber, version };
    }
    this.engine.reset();
    const now = this.nowMs();
    for (const span of this.options.knownUnreadable?.(found.value, known) ?? [])
      this.engine.refusals.add(3, span.address, span.address + span.count, now, true);
    this.session = {
      map: found.value,
      plan: buildReadPlan(found.value, this.map, SUNSPEC_POLL_CLASSES),
    };
    return true;
  }

  /** Drops the map: the next poll re-discovers the device. */
  private lose(session: Session, reason: string): null {
    if (this.session === session) this.session = null;
    return this.fail(`stale_map: ${reason}`);
  }

  private fail(message: string): null {
    this.problem = message;
    this.problemCount++;
    return null;
  }
}
