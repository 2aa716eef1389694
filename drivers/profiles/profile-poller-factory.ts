// Builds the poller for a site device that names a profile: load the profile, check it
// serves the device's role, reach the unit. Each failure is a sentence the Devices page can
// show as the device's last error.
import { fail, ok, type Problem, type Result } from '../../core/result';
import { parseDeviceUrl, type DeviceEndpoint } from '../../core/site/device-url';
import type { DeviceConfig, DeviceRole } from '../../core/site/site-types';
import {
  ProfilePoller,
  type ProfilePollerOptions,
  type ProfileUnit,
} from '../devices/profile-poller';
import { loadProfile } from './profile-loader';
import type { DeviceProfile } from './profile-types';

export interface UnitSource {
  unit(endpoint: DeviceEndpoint): Result<ProfileUnit, Problem>;
}

/** A meter's register map cannot run a battery: the profile must list the device's role. */
export function checkProfileRole(
  profile: DeviceProfile,
  role: DeviceRole,
): Result<void, Problem & { code: 'profile_role' }> {
  if (profile.roles.includes(role)) return ok(undefined);
  return fail({
    code: 'profile_role',
    message: `device profile "${profile.id}" serves ${profile.roles.join(', ')}, not ${role}`,
  });
}

export function createProfilePoller(
  device: DeviceConfig,
  profileId: string,
  profilesDir: string,
  units: UnitSource,
  options: ProfilePollerOptions = {},
): Result<ProfilePoller, Problem> {
  const profile = loadProfile(profilesDir, profileId);
  if (!profile.ok) return profile;
  const serves = checkProfileRole(profile.value, device.role);
  if (!serves.ok) return serves;
  const endpoint = parseDeviceUrl(device.url);
  if (!endpoint.ok) return endpoint;
  if (endpoint.value.kind === 'opcua')
    return fail({ code: 'profile_transport', message: 'a device profile needs a Modbus URL' });
  // An explicit `unit=` wins; without one the profile knows better than the generic 1
  // (a Victron GX serves its system values on unit 100).
  const unitId = new URL(device.url).searchParams.has('unit')
    ? endpoint.value.unitId
    : profile.value.defaults.unitId;
  const unit = units.unit({ ...endpoint.value, unitId });
  if (!unit.ok) return unit;
  return ok(new ProfilePoller(device, profile.value, unit.value, options));
}
