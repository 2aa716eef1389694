// Setpoints for SunSpec devices:
// - PV limit: model 704 or 123 WMaxLimPct with its revert timer, the enable last;
// - battery power: model 124 with both StorCtl_Mod bits in force and OutWRte = −InWRte =
//   p % of WChaMax, which holds exactly p % (charging when negative) until the revert
//   timer runs out. WChaMax is read from the device in the same write phase, so the
//   percentage matches the device's own basis even if another tool changed it.
import type { DeviceSetpoint } from '../../core/points/device-setpoint';
import { fail, ok, type Result } from '../../core/result';
import type { PollIo } from '../modbus/poll-engine';
import type { PolledRange } from '../modbus/poll-types';
import { executeControl } from '../sunspec/control-execute';
import { powerLimitCommand, storageCommand } from '../sunspec/control-commands';
import {
  controlError,
  prepareControl,
  type ControlCommand,
  type ControlError,
  type ControlOutcome,
} from '../sunspec/control-writes';
import type { SunspecMap } from '../sunspec/discovery';
import { locatePoint } from '../sunspec/layout';
import { decodePointRaw, decodeSunssf } from '../sunspec/point-decode';

/** InWRte/OutWRte resolution the station writes: 0.1 %. */
const RATE_STEP = 0.1;

/**
 * A PV limit floored to the step the device can hold (its WMaxLimPct scale factor: 1 %
 * at SF 0): a limit must never end up above what was asked, and a value between steps
 * would be refused. `sfOf` gives the last read value of a scale-factor register.
 */
export function pvLimitCommand(
  map: SunspecMap,
  setpoint: Extract<DeviceSetpoint, { kind: 'pv-limit' }>,
  sfOf: (address: number) => number | null | undefined = () => undefined,
): Result<ControlCommand, ControlError> {
  const modelId = map.models.some((m) => m.id === 704 && m.def) ? 704 : 123;
  const sf = scaleFactorOf(map, modelId, 'WMaxLimPct', sfOf);
  // Steps counted in integers (rounded to 1e-9 first: 40.3 × 10 is 402.99999… in binary and
  // must floor to 403), then divided, not multiplied, so 403 / 10 is exactly 40.3.
  const perPct = sf === null ? null : 10 ** -sf;
  const limitPct =
    perPct === null
      ? setpoint.limitPct
      : Math.floor(Math.round(setpoint.limitPct * perPct * 1e9) / 1e9) / perPct;
  return powerLimitCommand(map, { limitPct, revertAfterS: setpoint.revertSeconds });
}

function scaleFactorOf(
  map: SunspecMap,
  modelId: number,
  point: string,
  sfOf: (address: number) => number | null | undefined,
): number | null {
  const model = map.models.find((m) => m.id === modelId);
  if (!model?.def) return null;
  const located = locatePoint(model.def, point, [], () => 0);
  if (!located.ok || located.value.sfOffset === null) return null;
  return sfOf(model.address + 2 + located.value.sfOffset) ?? null;
}

/** The write-phase job for a battery setpoint (see the top of this file). */
export async function batteryJob(
  io: PollIo,
  map: SunspecMap,
  setpoint: Extract<DeviceSetpoint, { kind: 'battery' }>,
): Promise<Result<ControlOutcome & { pct: number }, ControlError>> {
  const basis = await readWChaMax(io, map);
  if (!basis.ok) return basis;
  const raw = (setpoint.powerW / basis.value) * 100;
  const pct = Math.max(-100, Math.min(100, Math.round(raw / RATE_STEP) * RATE_STEP));
  const command = storageCommand({
    dischargeRatePct: pct,
    chargeRatePct: -pct,
    limitCharge: true,
    limitDischarge: true,
    revertAfterS: setpoint.revertSeconds,
  });
  if (!command.ok) return command;
  const prepared = prepareControl(map, command.value);
  if (!prepared.ok) return prepared;
  const done = await executeControl(io, prepared.value);
  return done.ok ? ok({ ...done.value, pct }) : done;
}

async function readWChaMax(io: PollIo, map: SunspecMap): Promise<Result<number, ControlError>> {
  const model = map.models.find((m) => m.id === 124);
  if (!model?.def)
    return fail(
      controlError('model_missing', 'the battery has no SunSpec model 124', { modelId: 124 }),
    );
  const located = locatePoint(model.def, 'WChaMax', [], () => 0);
  if (!located.ok || located.value.sfOffset === null)
    return fail(controlError('unknown_point', 'model 124 has no WChaMax', { modelId: 124 }));
  const valueAt = model.address + 2 + located.value.offset;
  const sfAt = model.address + 2 + located.value.sfOffset;
  const ranges: PolledRange[] = [
    { fc: 3, address: valueAt, count: located.value.point.size, pollClass: 'fast' },
    { fc: 3, address: sfAt, count: 1, pollClass: 'fast' },
  ];
  const read = await io.readRanges(ranges);
  if (!read.ok)
    return fail(
      controlError('write_failed', `reading WChaMax: ${read.error.message}`, {
        modelId: 124,
        written: [],
      }),
    );
  const words = read.value.values.words(ranges[0]!);
  const sfWords = read.value.values.words(ranges[1]!);
  const sf = sfWords ? decodeSunssf(sfWords, 0) : null;
  const value = words ? decodePointRaw(located.value.point, words, 0) : null;
  const number = typeof value === 'number' ? value : null;
  if (number === null || sf === null || number <= 0)
    return fail(
      controlError(
        'no_scale_factor',
        'the battery reports no usable WChaMax: a power setpoint has no basis',
        { modelId: 124, written: [] },
      ),
    );
  return ok(number * 10 ** sf);
}
