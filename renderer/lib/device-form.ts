// The add/edit device form as plain data: what the inputs hold (strings, as inputs do),
// suggestions from a unit a scan found, and the request the station receives. The station
// validates everything again; these only spare the technician obvious round trips.
import type {
  DeviceChanges,
  DeviceConfig,
  DeviceInput,
  DeviceRole,
  FoundUnit,
  ProfileSummary,
  Site,
} from '../api/contract';

export interface DeviceFormValues {
  id: string;
  name: string;
  url: string;
  role: DeviceRole;
  /** '' = community asset without an owner. */
  memberId: string;
  pollIntervalMs: number;
  /** Register map: '' = SunSpec (discovered by the station), else a profile id. */
  profile: string;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function emptyForm(url = ''): DeviceFormValues {
  return {
    id: '',
    name: '',
    url,
    role: 'pv-inverter',
    memberId: '',
    pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    profile: '',
  };
}

export function formFromDevice(device: DeviceConfig): DeviceFormValues {
  return {
    id: device.id,
    name: device.name,
    url: device.url,
    role: device.role,
    memberId: device.memberId ?? '',
    pollIntervalMs: device.pollIntervalMs,
    profile: device.profile ?? '',
  };
}

/** Inverters with a storage model are battery inverters; meter models make meters. */
export function suggestRole(modelIds: readonly number[], site: Site | null): DeviceRole {
  const has = (...ids: number[]): boolean => ids.some((id) => modelIds.includes(id));
  if (has(802, 124)) return 'battery';
  if (has(101, 102, 103, 111, 112, 113)) return 'pv-inverter';
  if (has(201, 202, 203, 204, 211, 212, 213, 214)) return meterRole(site);
  return 'pv-inverter';
}

/** The first meter of a site without one is most likely its grid meter. */
function meterRole(site: Site | null): DeviceRole {
  const gridMeter = site?.devices.some((d) => d.role === 'grid-meter') ?? true;
  return gridMeter ? 'household-meter' : 'grid-meter';
}

/** The register maps a device of this role can use, plus the one it uses now if unknown. */
export function profilesFor(
  profiles: readonly ProfileSummary[],
  role: DeviceRole,
  current = '',
): ProfileSummary[] {
  const serving = profiles.filter((p) => p.roles.includes(role));
  if (current === '' || serving.some((p) => p.id === current)) return serving;
  const known = profiles.find((p) => p.id === current);
  // A device may name a map this station lacks (a site file from elsewhere): keep it visible.
  return [...serving, known ?? unknownProfile(current, role)];
}

function unknownProfile(id: string, role: DeviceRole): ProfileSummary {
  return { id, manufacturer: '', model: id, description: '', roles: [role], defaultUnitId: 1 };
}

/** After a role change: keep the register map only if it serves the new role. */
export function withRole(
  values: DeviceFormValues,
  role: DeviceRole,
  profiles: readonly ProfileSummary[],
): DeviceFormValues {
  const keeps =
    values.profile === '' || profilesFor(profiles, role).some((p) => p.id === values.profile);
  return { ...values, role, profile: keeps ? values.profile : '' };
}

/** How a register map reads in the form and the details: manufacturer and model. */
export function profileLabel(profile: ProfileSummary): string {
  return [profile.manufacturer, profile.model].filter(Boolean).join(' ');
}

/** A kebab-case id from free text that no device of the site uses yet. */
export function suggestId(text: string, taken: ReadonlySet<string>): string {
  const base =
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'device';
  if (!taken.has(base) && base !== 'site') return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function formFromFoundUnit(unit: FoundUnit, site: Site | null): DeviceFormValues {
  // Devices without SunSpec are mostly meters (Eastron, Carlo Gavazzi, …).
  const role =
    unit.baseAddress === null
      ? meterRole(site)
      : suggestRole(
          unit.models.map((m) => m.id),
          site,
        );
  const product = [unit.identity?.manufacturer, unit.identity?.model].filter(Boolean).join(' ');
  const taken = new Set(site?.devices.map((d) => d.id) ?? []);
  return {
    ...emptyForm(unit.url),
    role,
    name: product ? `${product} (${unit.unitId})` : `Unit ${unit.unitId}`,
    id: suggestId(`${role}-${unit.unitId}`, taken),
  };
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id) && id !== 'site';
}

export function toDeviceInput(values: DeviceFormValues): DeviceInput {
  return {
    id: values.id.trim(),
    name: values.name.trim(),
    url: values.url.trim(),
    role: values.role,
    memberId: values.memberId === '' ? null : values.memberId,
    pollIntervalMs: Math.round(Number(values.pollIntervalMs)),
    ...(values.profile === '' ? {} : { profile: values.profile }),
  };
}

/** Only what changed, so an edit of the name never re-identifies the device. */
export function toChanges(device: DeviceConfig, values: DeviceFormValues): DeviceChanges {
  const next = toDeviceInput(values);
  const changes: DeviceChanges = {};
  if (next.name !== device.name) changes.name = next.name;
  if (next.url !== device.url) changes.url = next.url;
  if (next.role !== device.role) changes.role = next.role;
  if (next.memberId !== device.memberId) changes.memberId = next.memberId;
  if (next.pollIntervalMs !== device.pollIntervalMs) changes.pollIntervalMs = next.pollIntervalMs;
  if ((next.profile ?? null) !== (device.profile ?? null)) changes.profile = next.profile ?? null;
  return changes;
}
