// Request handlers of the commissioning methods. Parameters arrive validated by the API
// schemas; what depends on the running site or the device is decided here and in the
// device manager, and every refusal is an ApiError with a code the UI can act on.
import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { DeviceTarget } from '../../core/api/station-api';
import type { Result } from '../../core/result';
import type { DeviceManager } from './commissioning-devices';
import { opcuaHandlers, type OpcuaMethod } from './commissioning-opcua-handlers';
import type { OpcuaTools } from './commissioning-opcua';
import type { CommissioningTools, ToolError } from './commissioning-port';
import type { ScanRegistry } from './commissioning-scans';

export type CommissioningMethod =
  | 'site.state'
  | 'devices.add'
  | 'devices.update'
  | 'devices.remove'
  | 'devices.enable'
  | 'scan.start'
  | 'scan.cancel'
  | 'scan.get'
  | 'sunspec.read'
  | 'registers.read'
  | 'sunspec.planWrite'
  | 'sunspec.write'
  | OpcuaMethod;

export interface CommissioningDeps {
  devices: DeviceManager;
  /** Null when the station runs without commissioning tools (some tests). */
  tools: CommissioningTools | null;
  scans: ScanRegistry | null;
  /** Null when the station runs without OPC UA tools (some tests). */
  opcua: OpcuaTools | null;
}

export function commissioningHandlers(
  deps: CommissioningDeps,
): Pick<RequestHandlers, CommissioningMethod> {
  const { devices } = deps;
  const tools = (): CommissioningTools => {
    if (!deps.tools) throw new ApiError('unavailable', 'this station has no commissioning tools');
    return deps.tools;
  };
  const scans = (): ScanRegistry => {
    if (!deps.scans) throw new ApiError('unavailable', 'this station has no commissioning tools');
    return deps.scans;
  };
  /** A device's URL, so reads of a polled device go through its link's queue like the poller. */
  const urlOf = (target: DeviceTarget): string => {
    if ('url' in target && typeof target.url === 'string') return target.url;
    const id = (target as { deviceId: string }).deviceId;
    const device = devices.site.devices.find((d) => d.id === id);
    if (!device) throw new ApiError('not_found', `no device "${id}" in this site`);
    return device.url;
  };

  return {
    'site.state': () => devices.state(),
    'devices.add': (input) => devices.add(input),
    'devices.update': ({ id, changes }) => devices.update(id, changes),
    'devices.remove': ({ id }) => devices.remove(id),
    'devices.enable': ({ id, enabled }) => devices.enable(id, enabled),
    'scan.start': (request) => scans().start(request),
    'scan.cancel': ({ scanId }) => scans().cancel(scanId),
    'scan.get': ({ scanId }) => scans().get(scanId),
    'sunspec.read': async (target) => unwrap(await tools().readSunspec(urlOf(target))),
    'registers.read': async (query) =>
      unwrap(
        await tools().readRegisters(urlOf(query), {
          function: query.function,
          address: query.address,
          count: query.count,
        }),
      ),
    'sunspec.planWrite': async (write) => unwrap(await tools().planWrite(urlOf(write), write)),
    'sunspec.write': async (write) => unwrap(await tools().writePoint(urlOf(write), write)),
    ...opcuaHandlers(() => devices.site, deps.opcua),
  };
}

function unwrap<T>(result: Result<T, ToolError>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message);
}
