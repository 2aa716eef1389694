// Edits of a site's device list at run time, as pure functions: each returns a new site
// that the site schema accepts, or says why not. The site stays exactly what an export
// would write and an import would accept, because every edit goes through parseSite.
import { fail, type Problem, type Result } from '../result';
import { linkKey, parseDeviceUrl } from './device-url';
import { parseSite } from './site-schema';
import type { DeviceConfig, DeviceRole, OpcuaDeviceSettings, Site } from './site-types';

export interface DeviceFields {
  id: string;
  name: string;
  url: string;
  role: DeviceRole;
  memberId: string | null;
  pollIntervalMs: number;
  profile?: string;
  /** For opc.tcp:// devices: connection and node → point mapping. */
  opcua?: OpcuaDeviceSettings;
}

/** `profile: null` / `opcua: null` remove the profile / the OPC UA section. */
export type DeviceFieldChanges = Partial<Omit<DeviceFields, 'id' | 'profile' | 'opcua'>> & {
  profile?: string | null;
  opcua?: OpcuaDeviceSettings | null;
};

export interface SiteEditError extends Problem {
  code: 'duplicate' | 'invalid_site' | 'not_found';
}

export type SiteEdit = Result<Site, SiteEditError>;

/** Appends a device, stored disabled: it is enabled after its first good read. */
export function addDevice(site: Site, fields: DeviceFields): SiteEdit {
  if (site.devices.some((d) => d.id === fields.id))
    return duplicate(`a device with id "${fields.id}" already exists`, 'id');
  const twin = deviceAtEndpoint(site, fields.url);
  if (twin) return duplicate(`device "${twin.id}" already uses ${fields.url}`, 'url');
  const device: DeviceConfig = withOptional(
    {
      id: fields.id,
      name: fields.name,
      url: fields.url,
      role: fields.role,
      memberId: fields.memberId,
      pollIntervalMs: fields.pollIntervalMs,
      enabled: false,
    },
    fields.profile,
    fields.opcua,
  );
  return validated({ ...site, devices: [...site.devices, device] }, site.devices.length);
}

export function updateDevice(site: Site, id: string, changes: DeviceFieldChanges): SiteEdit {
  const index = site.devices.findIndex((d) => d.id === id);
  const current = site.devices[index];
  if (!current) return notFound(id);
  if (changes.url !== undefined) {
    const twin = deviceAtEndpoint(site, changes.url, id);
    if (twin) return duplicate(`device "${twin.id}" already uses ${changes.url}`, 'url');
  }
  const { profile, opcua, ...rest } = changes;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const merged = withOptional(
    { ...current, ...defined },
    profile === undefined ? current.profile : (profile ?? undefined),
    opcua === undefined ? current.opcua : (opcua ?? undefined),
  );
  return validated(replaceAt(site, index, merged), index);
}

export function setDeviceEnabled(site: Site, id: string, enabled: boolean): SiteEdit {
  const index = site.devices.findIndex((d) => d.id === id);
  const current = site.devices[index];
  if (!current) return notFound(id);
  return validated(replaceAt(site, index, { ...current, enabled }), index);
}

export function removeDevice(site: Site, id: string): SiteEdit {
  if (!site.devices.some((d) => d.id === id)) return notFound(id);
  return validated({ ...site, devices: site.devices.filter((d) => d.id !== id) }, -1);
}

/** The device that already talks to this unit (same physical link and unit id), if any. */
export function deviceAtEndpoint(
  site: Site,
  url: string,
  exceptId?: string,
): DeviceConfig | undefined {
  const key = endpointKey(url);
  if (key === null) return undefined;
  return site.devices.find((d) => d.id !== exceptId && endpointKey(d.url) === key);
}

/**
 * The device whose reported serial number equals `serial` (ignoring case and surrounding
 * blanks), if any. `serials` maps device ids to what they reported; unknown ones are null.
 */
export function deviceWithSerial(
  serials: ReadonlyMap<string, string | null>,
  serial: string | null,
  exceptId?: string,
): string | null {
  const wanted = normaliseSerial(serial);
  if (wanted === null) return null;
  for (const [deviceId, other] of serials) {
    if (deviceId !== exceptId && normaliseSerial(other) === wanted) return deviceId;
  }
  return null;
}

function normaliseSerial(serial: string | null): string | null {
  const text = serial?.trim().toUpperCase() ?? '';
  return text === '' ? null : text;
}

/**
 * What makes two devices the same unit. An OPC UA server has none: one server (a PLC, a
 * battery container) often carries several devices, each mapping its own nodes.
 */
function endpointKey(url: string): string | null {
  const parsed = parseDeviceUrl(url);
  if (!parsed.ok) return null;
  const endpoint = parsed.value;
  return endpoint.kind === 'opcua' ? null : `${linkKey(endpoint)}#${endpoint.unitId}`;
}

function withOptional(
  device: DeviceConfig,
  profile: string | undefined,
  opcua: OpcuaDeviceSettings | undefined,
): DeviceConfig {
  const { profile: _profile, opcua: _opcua, ...rest } = device;
  return {
    ...rest,
    ...(profile === undefined ? {} : { profile }),
    ...(opcua === undefined ? {} : { opcua }),
  };
}

function replaceAt(site: Site, index: number, device: DeviceConfig): Site {
  return { ...site, devices: site.devices.map((d, i) => (i === index ? device : d)) };
}

/** Runs the site schema; problems of the edited device are named by their field alone. */
function validated(site: Site, index: number): SiteEdit {
  const parsed = parseSite(site);
  if (parsed.ok) return parsed;
  const prefix = `devices[${index}].`;
  const own = parsed.error.issues.find((i) => i.path?.startsWith(prefix));
  const issue = own ?? parsed.error.issues[0] ?? parsed.error;
  const path = issue.path?.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
  const message = own ? issue.message.slice(prefix.length) : issue.message;
  return fail({ code: 'invalid_site', message, ...(path ? { path } : {}) });
}

function duplicate(message: string, path: string): { ok: false; error: SiteEditError } {
  return fail({ code: 'duplicate', message, path });
}

function notFound(id: string): { ok: false; error: SiteEditError } {
  return fail({ code: 'not_found', message: `no device "${id}" in this site` });
}
