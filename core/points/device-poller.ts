// What the station needs from a device driver: one poll returns the device's canonical
// points, status() says how healthy it is. Protocol details stay in drivers/.
import type { DeviceSetpoint, SetpointResult } from './device-setpoint';
import type { DeviceReading, DeviceStatus } from './snapshot';

export interface DevicePoller {
  readonly deviceId: string;
  /** Reads the device once; null when the poll failed (status() says why). */
  poll(): Promise<DeviceReading | null>;
  status(): DeviceStatus;
  close(): Promise<void>;
  /** Sends a setpoint first in the next bus cycle; absent for poll-only drivers. */
  apply?(setpoint: DeviceSetpoint): Promise<SetpointResult>;
}
