// The device profiles a station offers, loaded from their directory once and kept: they are
// shipped data that do not change while the station runs, and the device form asks for
// them every time it opens. A profile file that fails to load is not offered; naming it
// is refused with the loader's message, so the technician learns which file is broken.
import { fail, ok, type Result } from '../../core/result';
import type { DeviceRole } from '../../core/site/site-types';
import { checkProfileRole } from './profile-poller-factory';
import { loadProfile, profileIds, type ProfileLoadError } from './profile-loader';
import type { DeviceProfile } from './profile-types';

export type ProfileRefusal = ProfileLoadError | { code: 'profile_role'; message: string };

export class ProfileCatalog {
  #loaded: Map<string, Result<DeviceProfile, ProfileLoadError>> | null = null;

  constructor(private readonly dir: string) {}

  /** Every profile that loads, sorted by id. */
  list(): DeviceProfile[] {
    return [...this.#entries().values()].flatMap((entry) => (entry.ok ? [entry.value] : []));
  }

  /** The profile `id` names, if it loads and serves `role`; otherwise why not. */
  forRole(id: string, role: DeviceRole): Result<DeviceProfile, ProfileRefusal> {
    const entry = this.#entries().get(id);
    if (!entry) {
      const known = this.list().map((p) => p.id);
      return fail({
        code: 'unknown_profile',
        message: `unknown device profile "${id}"; the station has ${known.length ? known.join(', ') : 'none'}`,
      });
    }
    if (!entry.ok) return entry;
    const serves = checkProfileRole(entry.value, role);
    return serves.ok ? ok(entry.value) : serves;
  }

  #entries(): Map<string, Result<DeviceProfile, ProfileLoadError>> {
    this.#loaded ??= new Map(profileIds(this.dir).map((id) => [id, loadProfile(this.dir, id)]));
    return this.#loaded;
  }
}
