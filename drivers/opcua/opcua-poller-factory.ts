// The station's way to an OPC UA device poller: the device's opcua section, its password
// from the data directory, and a registration with the shared session manager.
import type { Problem, Result } from '../../core/result';
import { fail, ok } from '../../core/result';
import type { DeviceConfig } from '../../core/site/site-types';
import { opcuaDeviceSetup } from './opcua-device-config';
import { readOpcuaPassword } from './opcua-device-config-secrets';
import { OpcuaPoller, type OpcuaPollerOptions } from './opcua-poller';
import type { OpcuaSessionManager } from './session-manager';

export function createOpcuaPoller(
  device: DeviceConfig,
  manager: OpcuaSessionManager,
  dataDir: string,
  options: OpcuaPollerOptions = {},
): Result<OpcuaPoller, Problem> {
  let password: string | null = null;
  if (device.opcua?.username !== undefined) {
    const stored = readOpcuaPassword(dataDir, device.id);
    if (!stored.ok) return stored;
    password = stored.value;
  }
  const setup = opcuaDeviceSetup(device, password);
  if (!setup.ok) return setup;
  try {
    const handle = manager.register(setup.value.server, setup.value.set);
    return ok(new OpcuaPoller(device.id, setup.value, handle, options));
  } catch (error) {
    return fail({ code: 'closed', message: (error as Error).message });
  }
}
