// An OPC UA device as a DevicePoller: poll() turns the latest values of the device's
// monitored items into canonical points (scaled, signed), so core/ cannot tell them from
// Modbus points. Nothing is read on poll(): the server pushes changes into the session
// manager's store, and poll() takes a snapshot of it at the device's poll interval.
//
// A value counts as current while the subscription proves it is alive: a node that does
// not change sends nothing, but every publish response (data or keep-alive) confirms that
// the last value still holds. A value with a Bad or Uncertain status, or not confirmed
// within the device's stale limit, is null; without a live subscription the poll fails
// (null) and status() says why, exactly like a Modbus device that does not answer.
import type { DevicePoller } from '../../core/points/device-poller';
import { POINT_UNITS, type PointName } from '../../core/points/point-names';
import type { DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { OpcuaDeviceSetup, PointConversion } from './opcua-device-config';
import type { MonitoredValue } from './monitor-values';
import type { OpcuaMonitorHandle } from './session-manager';

export interface OpcuaPollerOptions {
  nowMs?: () => number;
}

export class OpcuaPoller implements DevicePoller {
  readonly deviceId: string;
  private readonly nowMs: () => number;
  private readonly points: readonly PointConversion[];
  private readonly staleAfterMs: number;
  private lastCompleteMs: number | null = null;
  private problems: string[] = [];

  constructor(
    deviceId: string,
    setup: Pick<OpcuaDeviceSetup, 'points' | 'staleAfterMs'>,
    private readonly handle: OpcuaMonitorHandle,
    options: OpcuaPollerOptions = {},
  ) {
    this.deviceId = deviceId;
    this.points = setup.points;
    this.staleAfterMs = setup.staleAfterMs;
    this.nowMs = options.nowMs ?? Date.now;
  }

  async poll(): Promise<DeviceReading | null> {
    const health = this.handle.health();
    if (!health.subscribed) return null;
    const nowMs = this.nowMs();
    const values: Partial<Record<PointName, number | null>> = {};
    const problems: string[] = [];
    let complete = true;
    this.points.forEach((p, i) => {
      const error = this.handle.itemError(i);
      if (error) {
        values[p.point] = null;
        problems.push(`${p.point} (${p.nodeId}): ${error}`);
        complete = false;
        return;
      }
      const latest = this.handle.value(i);
      if (!latest) {
        complete = false; // created, first value still on its way: leave the point alone
        return;
      }
      const value = this.current(latest, health.lastPublishMs, nowMs);
      if (value === null) {
        complete = false;
        if (latest.value === null) problems.push(`${p.point} (${p.nodeId}): ${latest.status}`);
      }
      values[p.point] = value === null ? null : convert(value, p);
    });
    this.problems = problems;
    if (complete) this.lastCompleteMs = nowMs;
    return { deviceId: this.deviceId, tsMs: nowMs, values };
  }

  status(): DeviceStatus {
    const h = this.handle.health();
    const problem = h.subscribed && this.problems.length ? this.problems.join('; ') : null;
    return {
      id: this.deviceId,
      state: h.state === 'ok' && problem ? 'degraded' : h.state,
      lastGoodReadMs: this.lastCompleteMs,
      latencyMs: h.latencyMs,
      errorCount: h.errorCount,
      lastError: h.state === 'ok' ? (problem ?? h.lastError) : (h.lastError ?? problem),
      identity: this.handle.identity(),
    };
  }

  async close(): Promise<void> {
    await this.handle.release();
  }

  private current(
    latest: MonitoredValue,
    lastPublishMs: number | null,
    nowMs: number,
  ): number | null {
    if (latest.value === null) return null;
    const confirmedMs = Math.max(latest.receivedMs, lastPublishMs ?? 0);
    return nowMs - confirmedMs > this.staleAfterMs ? null : latest.value;
  }
}

/** Node value → canonical point: scaled, sign flipped if the device counts the other way. */
export function convert(value: number, p: PointConversion): number {
  const converted = value * p.scale * (p.invert ? -1 : 1);
  // Energy is whole Wh everywhere in the station; and no "-0" in the UI.
  const rounded = POINT_UNITS[p.point] === 'Wh' ? Math.round(converted) : converted;
  return rounded === 0 ? 0 : rounded;
}
