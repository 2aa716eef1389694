// A device URL opened for commissioning: its link (from a LinkPool, so that a station that
// already polls devices on the same connection shares its one queue with the tools) and
// units on it with timeouts of the caller's choosing, every request abortable.
import { fail, ok, type Result } from '../../core/result';
import {
  parseDeviceUrl,
  type ModbusRtuEndpoint,
  type ModbusTcpEndpoint,
} from '../../core/site/device-url';
import { LinkPool } from '../modbus/link-pool';
import type { ModbusLink } from '../modbus/modbus-link';
import type { UnitClient } from '../modbus/unit-client';
import { AbortableUnit } from './abortable-unit';
import { commissioningError, type CommissioningError } from './commissioning-error';

export type ModbusEndpoint = ModbusTcpEndpoint | ModbusRtuEndpoint;

/** Per-unit reply timeout of a scan: a missing unit costs this long. */
export const SCAN_TIMEOUT_MS = { tcp: 300, serial: 500 } as const;
/** Reply timeout for a unit known to be there. */
export const READ_TIMEOUT_MS = 1000;

export interface ModbusTarget {
  readonly endpoint: ModbusEndpoint;
  /** The link's name, e.g. `modbus-tcp://127.0.0.1:1502` (no unit). */
  readonly linkName: string;
  /** The unit the URL names (`unit=`, default 1). */
  readonly unitId: number;
  /** A unit on this link whose requests time out after `timeoutMs` and settle on `signal`. */
  unit(unitId: number, timeoutMs: number, signal?: AbortSignal): UnitClient;
  /** Default scan timeout for this kind of link. */
  readonly scanTimeoutMs: number;
  /** Closes the link if this target opened its own pool; a shared pool stays open. */
  close(): Promise<void>;
}

export interface OpenTargetOptions {
  /** The station's pool, to share links with its poller; else a private one is made. */
  pool?: LinkPool;
}

export function openModbusTarget(
  url: string,
  options: OpenTargetOptions = {},
): Result<ModbusTarget, CommissioningError> {
  const parsed = parseDeviceUrl(url);
  if (!parsed.ok) return fail(commissioningError('bad_url', parsed.error.message));
  const endpoint = parsed.value;
  if (endpoint.kind === 'opcua') {
    return fail(
      commissioningError(
        'unsupported_transport',
        `${url} is an OPC UA endpoint; scan, read, registers and write speak Modbus`,
      ),
    );
  }
  const pool = options.pool ?? new LinkPool();
  const link = pool.link(endpoint);
  if (!link.ok) {
    return fail(commissioningError('unsupported_transport', `${url}: ${link.error.message}`));
  }
  return ok(targetOn(endpoint, link.value, options.pool ? null : pool));
}

function targetOn(
  endpoint: ModbusEndpoint,
  link: ModbusLink,
  ownPool: LinkPool | null,
): ModbusTarget {
  return {
    endpoint,
    linkName: link.endpoint,
    unitId: endpoint.unitId,
    scanTimeoutMs: endpoint.kind === 'modbus-tcp' ? SCAN_TIMEOUT_MS.tcp : SCAN_TIMEOUT_MS.serial,
    unit(unitId, timeoutMs, signal) {
      const unit = link.unit(unitId, { timeoutMs });
      return signal ? new AbortableUnit(unit, signal) : unit;
    },
    close: () => (ownPool ? ownPool.closeAll() : Promise.resolve()),
  };
}
