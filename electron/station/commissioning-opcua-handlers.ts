// Request handlers of the OPC UA commissioning methods. A request names a device of the site
// (its stored connection and password are used, the password never leaves the station) or
// a connection typed into the add form.
import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { OpcuaConnection, OpcuaTarget } from '../../core/api/station-api';
import type { Result } from '../../core/result';
import type { DeviceConfig, Site } from '../../core/site/site-types';
import type { ToolError } from './commissioning-port';
import type { OpcuaTools } from './commissioning-opcua';

export type OpcuaMethod =
  | 'opcua.endpoints'
  | 'opcua.trust'
  | 'opcua.certificates'
  | 'opcua.browse'
  | 'opcua.read'
  | 'opcua.planWrite'
  | 'opcua.write';

export function opcuaHandlers(
  site: () => Site,
  opcua: OpcuaTools | null,
): Pick<RequestHandlers, OpcuaMethod> {
  const tools = (): OpcuaTools => {
    if (!opcua) throw new ApiError('unavailable', 'this station has no OPC UA tools');
    return opcua;
  };
  const connectionOf = (target: OpcuaTarget): OpcuaConnection => {
    if ('connection' in target) return target.connection;
    const device = site().devices.find((d) => d.id === target.deviceId);
    if (!device) throw new ApiError('not_found', `no device "${target.deviceId}" in this site`);
    return deviceConnection(device, unwrap(tools().password(device.id)));
  };

  return {
    'opcua.endpoints': async ({ url }) => unwrap(await tools().endpoints(url)),
    'opcua.trust': async (request) => unwrap(await tools().trust(request)),
    'opcua.certificates': async () => unwrap(await tools().certificates()),
    'opcua.browse': async (request) =>
      unwrap(await tools().browse(connectionOf(request), request.nodeId)),
    'opcua.read': async (request) =>
      unwrap(await tools().read(connectionOf(request), request.nodeIds)),
    'opcua.planWrite': async (request) =>
      unwrap(await tools().planWrite(connectionOf(request), request.nodeId, request.value)),
    'opcua.write': async (request) =>
      unwrap(await tools().write(connectionOf(request), request.nodeId, request.value)),
  };
}

/** How the station connects to an OPC UA device of the site. */
export function deviceConnection(device: DeviceConfig, password: string | null): OpcuaConnection {
  if (!device.url.toLowerCase().startsWith('opc.tcp:'))
    throw new ApiError('bad_request', `device "${device.id}" is not an OPC UA device`);
  const o = device.opcua;
  if (!o)
    throw new ApiError(
      'bad_request',
      `device "${device.id}" has no opcua section: its security is not configured`,
    );
  if (o.username !== undefined && password === null)
    throw new ApiError('auth_failed', `no password is stored for OPC UA user "${o.username}"`);
  return {
    url: device.url,
    securityMode: o.securityMode,
    ...(o.securityPolicy ? { securityPolicy: o.securityPolicy } : {}),
    ...(o.allowInsecure ? { allowInsecure: true } : {}),
    ...(o.username !== undefined ? { username: o.username, password: password ?? '' } : {}),
  };
}

function unwrap<T>(result: Result<T, ToolError>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message);
}
