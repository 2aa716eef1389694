// The alarms part of the station contract.
export type { Alarm, Severity } from '../alarms/alarm-engine';
import type { Alarm } from '../alarms/alarm-engine';

export interface AlarmsView {
  /** Active or not yet acknowledged, most severe first. */
  alarms: Alarm[];
  /** What the navigation badge shows. */
  count: number;
}
