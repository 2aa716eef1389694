// Request handlers of the control methods. The control service decides; a refused config
// becomes an `invalid_config` ApiError whose message starts with the field's path.
import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { Site } from '../../core/site/site-types';
import type { ControlService } from './control-service';
import type { Clock } from './station-clock';

export type ControlMethod = Extract<keyof RequestHandlers, `control.${string}`>;

export function controlHandlers(
  control: ControlService,
  site: () => Site,
  clock: Clock,
): Pick<RequestHandlers, ControlMethod> {
  return {
    'control.state': () => control.view(),
    'control.setMode': ({ mode }) => {
      control.setMode(mode, clock.nowMs());
      return control.view();
    },
    'control.setStrategies': ({ strategies }) => {
      control.setStrategies(strategies, clock.nowMs());
      return control.view();
    },
    'control.previewConfig': ({ config }) => control.previewConfig(config),
    'control.setConfig': ({ config }) => {
      const result = control.setConfig(config, clock.nowMs());
      if (!result.ok)
        throw new ApiError('invalid_config', `${result.error.path ?? ''}: ${result.error.message}`);
      return control.view();
    },
    'control.preview': ({ setpoint }) => control.preview(setpoint),
    'control.command': ({ setpoint, durationS }) => {
      if (!site().devices.some((d) => d.id === setpoint.deviceId))
        throw new ApiError('not_found', `no device "${setpoint.deviceId}" in this site`);
      control.command(setpoint, durationS, clock.nowMs());
      return control.view();
    },
    'control.release': ({ deviceId }) => {
      if (!control.release(deviceId, clock.nowMs()))
        throw new ApiError('not_found', `no operator setpoint for "${deviceId}"`);
      return control.view();
    },
  };
}
