// Message keys for device roles and states, shared by the device list and its views.
import type { DeviceRole } from '../api/contract';
import type { MessageKey } from '../i18n/dictionaries';
import type { DisplayState } from './device-rows';

export const STATE_KEYS: Record<DisplayState, MessageKey> = {
  connecting: 'devices.state.connecting',
  ok: 'devices.state.ok',
  degraded: 'devices.state.degraded',
  offline: 'devices.state.offline',
  disabled: 'devices.state.disabled',
  verifying: 'devices.state.verifying',
  unknown: 'devices.state.unknown',
};

export const ROLE_KEYS: Record<DeviceRole, MessageKey> = {
  'grid-meter': 'role.grid-meter',
  'pv-inverter': 'role.pv-inverter',
  battery: 'role.battery',
  'household-meter': 'role.household-meter',
  'switchable-load': 'role.switchable-load',
};

export const DEVICE_ROLES: readonly DeviceRole[] = Object.keys(ROLE_KEYS) as DeviceRole[];
