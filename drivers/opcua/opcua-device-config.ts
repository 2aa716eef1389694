// From a site file's OPC UA device (url + opcua section) to what the session manager and
// the poller need: the server to connect to, the nodes to monitor and how each becomes a
// canonical point. Defaults follow the device's poll interval, so an OPC UA device is as
// fresh as a Modbus device polled at the same interval.
import type { PointName } from '../../core/points/point-names';
import { MIN_STALE_MS, STALE_AFTER_POLLS } from '../../core/points/snapshot-builder';
import { fail, ok, type Problem, type Result } from '../../core/result';
import { parseDeviceUrl } from '../../core/site/device-url';
import type { DeviceConfig } from '../../core/site/site-types';
import type { MonitorRequest } from './monitor-batches';
import type { MonitorSet, OpcuaServerSpec } from './session-manager';

/** How one monitored node becomes a canonical point. */
export interface PointConversion {
  point: PointName;
  nodeId: string;
  scale: number;
  invert: boolean;
}

export interface OpcuaDeviceSetup {
  server: OpcuaServerSpec;
  set: MonitorSet;
  /** Aligned with set.items. */
  points: PointConversion[];
  /** A value not confirmed by the server for this long is null (as core's stale limit). */
  staleAfterMs: number;
}

export function staleAfterMsFor(device: Pick<DeviceConfig, 'pollIntervalMs'>): number {
  return Math.max(MIN_STALE_MS, STALE_AFTER_POLLS * device.pollIntervalMs);
}

/** `password` from the data directory's secret file; needed when the section names a user. */
export function opcuaDeviceSetup(
  device: DeviceConfig,
  password: string | null,
): Result<OpcuaDeviceSetup, Problem> {
  const endpoint = parseDeviceUrl(device.url);
  if (!endpoint.ok) return endpoint;
  if (endpoint.value.kind !== 'opcua')
    return fail({ code: 'bad_url', message: `${device.url} is not an opc.tcp:// URL` });
  const o = device.opcua;
  if (!o)
    return fail({
      code: 'not_configured',
      message: 'no opcua section in the site file: which nodes to read is not configured',
    });
  if (o.username !== undefined && password === null)
    return fail({
      code: 'no_password',
      message: `no password stored for OPC UA user "${o.username}" (secrets/opcua/${device.id}.json in the data directory)`,
    });
  const samplingIntervalMs = o.samplingIntervalMs ?? device.pollIntervalMs;
  const items: MonitorRequest[] = o.points.map((p) => ({
    nodeId: p.nodeId,
    samplingIntervalMs,
    deadband: p.deadband ?? null,
  }));
  const staleAfterMs = staleAfterMsFor(device);
  return ok({
    server: {
      endpointUrl: endpoint.value.url,
      securityMode: o.securityMode,
      ...(o.securityPolicy && o.securityPolicy !== 'None'
        ? { securityPolicy: o.securityPolicy }
        : {}),
      allowInsecure: o.allowInsecure ?? false,
      identity:
        o.username !== undefined
          ? { kind: 'username', username: o.username, password: password ?? '' }
          : { kind: 'anonymous' },
    },
    set: {
      items,
      publishingIntervalMs: o.publishingIntervalMs ?? device.pollIntervalMs,
      // Three confirmations per stale period: one lost publish response does not blank a value.
      keepAliveMs: Math.floor(staleAfterMs / 3),
    },
    points: o.points.map((p) => ({
      point: p.point as PointName,
      nodeId: p.nodeId,
      scale: p.scale ?? 1,
      invert: p.invert ?? false,
    })),
    staleAfterMs,
  });
}
