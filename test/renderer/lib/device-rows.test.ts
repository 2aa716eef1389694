import { describe, expect, it } from 'vitest';
import type { DeviceStatus, Site } from '../../../renderer/api/contract';
import { deviceRows, displayState } from '../../../renderer/lib/device-rows';

const site = {
  members: [{ id: 'm1', name: 'Flat 1' }],
  devices: [
    { id: 'pv-1', name: 'Roof PV', role: 'pv-inverter', memberId: 'm1' },
    { id: 'bat', name: 'Battery', role: 'battery', memberId: null },
  ],
} as unknown as Site;

const status = (id: string, state: DeviceStatus['state']): DeviceStatus => ({
  id,
  state,
  lastGoodReadMs: 1,
  latencyMs: 10,
  errorCount: 0,
  lastError: null,
  identity: null,
});

describe('deviceRows', () => {
  it('joins configured devices with their status and member', () => {
    const rows = deviceRows(site, { 'pv-1': status('pv-1', 'ok') });
    expect(rows.map((r) => [r.id, r.memberName, r.status?.state ?? null])).toEqual([
      ['pv-1', 'Flat 1', 'ok'],
      ['bat', null, null],
    ]);
  });

  it('lists devices the station reports but the site does not', () => {
    const rows = deviceRows(site, { ghost: status('ghost', 'offline') });
    expect(rows.at(-1)).toMatchObject({ id: 'ghost', role: null });
  });

  it('shows the state only while data is live', () => {
    const [row] = deviceRows(site, { 'pv-1': status('pv-1', 'degraded') });
    expect(row && displayState(row, true)).toBe('degraded');
    expect(row && displayState(row, false)).toBe('unknown');
  });

  it('shows a device waiting for its first good read as verifying', () => {
    const [row] = deviceRows(site, { 'pv-1': status('pv-1', 'offline') }, ['pv-1']);
    expect(row?.verifying).toBe(true);
    expect(row && displayState(row, true)).toBe('verifying');
    expect(row && displayState(row, false)).toBe('unknown');
  });
});
