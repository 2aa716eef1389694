// Joins the site's configured devices with the live status the station reports.
import type { DeviceRole, DeviceState, DeviceStatus, Site } from '../api/contract';

export interface DeviceRow {
  id: string;
  name: string;
  /** null for a device the station reports but the site file does not list. */
  role: DeviceRole | null;
  memberName: string | null;
  status: DeviceStatus | null;
}

export type DisplayState = DeviceState | 'unknown';

export function deviceRows(
  site: Site | null,
  statuses: Readonly<Record<string, DeviceStatus>>,
): DeviceRow[] {
  const members = new Map(site?.members.map((m) => [m.id, m.name]) ?? []);
  const rows: DeviceRow[] = (site?.devices ?? []).map((device) => ({
    id: device.id,
    name: device.name,
    role: device.role,
    memberName: device.memberId === null ? null : (members.get(device.memberId) ?? device.memberId),
    status: statuses[device.id] ?? null,
  }));
  const listed = new Set(rows.map((r) => r.id));
  // Shown rather than hidden: an unlisted device polling away is worth noticing.
  for (const [id, status] of Object.entries(statuses)) {
    if (!listed.has(id)) rows.push({ id, name: id, role: null, memberName: null, status });
  }
  return rows;
}

/** Without live data the last reported state may be wrong by now, so it is not shown. */
export function displayState(row: DeviceRow, live: boolean): DisplayState {
  return live && row.status ? row.status.state : 'unknown';
}
