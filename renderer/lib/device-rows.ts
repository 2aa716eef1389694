// Joins the site's configured devices with the live status the station reports.
import type { DeviceConfig, DeviceRole, DeviceState, DeviceStatus, Site } from '../api/contract';

export interface DeviceRow {
  id: string;
  name: string;
  /** null for a device the station reports but the site file does not list. */
  role: DeviceRole | null;
  memberName: string | null;
  status: DeviceStatus | null;
  /** The configuration, for the actions; null for an unlisted device. */
  config: DeviceConfig | null;
  /** Polled, but counted in no total until its first good read enables it. */
  verifying: boolean;
}

export type DisplayState = DeviceState | 'verifying' | 'unknown';

export function deviceRows(
  site: Site | null,
  statuses: Readonly<Record<string, DeviceStatus>>,
  verifyingIds: readonly string[] = [],
): DeviceRow[] {
  const members = new Map(site?.members.map((m) => [m.id, m.name]) ?? []);
  const rows: DeviceRow[] = (site?.devices ?? []).map((device) => ({
    id: device.id,
    name: device.name,
    role: device.role,
    memberName: device.memberId === null ? null : (members.get(device.memberId) ?? device.memberId),
    status: statuses[device.id] ?? null,
    config: device,
    verifying: verifyingIds.includes(device.id),
  }));
  const listed = new Set(rows.map((r) => r.id));
  // Shown rather than hidden: an unlisted device polling away is worth noticing.
  for (const [id, status] of Object.entries(statuses)) {
    if (!listed.has(id))
      rows.push({
        id,
        name: id,
        role: null,
        memberName: null,
        status,
        config: null,
        verifying: false,
      });
  }
  return rows;
}

/** Without live data the last reported state may be wrong by now, so it is not shown. */
export function displayState(row: DeviceRow, live: boolean): DisplayState {
  if (!live) return 'unknown';
  if (row.verifying) return 'verifying';
  return row.status ? row.status.state : 'unknown';
}
