// The control commands the SunSpec models offer, as point writes in a safe order: values
// and revert timers first, the enable flag last (a device acts on the enable). Every
// command takes a revert time, so a device falls back on its own when the station stops
// re-writing (crash, cable, power cut): 0 would mean "never revert" in SunSpec, and is
// refused here.
import { fail, ok, type Result } from '../../core/result';
import {
  controlError,
  type ControlCommand,
  type ControlError,
  type ControlPointWrite,
} from './control-writes';
import type { SunspecMap } from './discovery';

const ENABLED = 1;
const DISABLED = 0;
/** Model 704 WSetMod: set point in watts. */
const WSET_WATTS = 1;

export interface PowerLimitRequest {
  /** Active power limit in % of WMax. */
  readonly limitPct: number;
  /** Seconds after which the device drops the limit unless it is written again. */
  readonly revertAfterS: number;
  /** Model 123: seconds over which the device may randomly start applying it. */
  readonly windowS?: number;
  /** Model 123: ramp time in seconds. */
  readonly rampS?: number;
  /** Model 704: the limit in force after the revert (default 100: no limit). */
  readonly revertToPct?: number;
}

export interface StorageRequest {
  /** WChaMax: charge power ceiling in W. */
  readonly maxChargeW?: number;
  /** InWRte: charge rate in % of WChaMax. */
  readonly chargeRatePct?: number;
  /** OutWRte: discharge rate in % of WDisChaMax. */
  readonly dischargeRatePct?: number;
  /** MinRsvPct: reserve kept in % of capacity. */
  readonly minReservePct?: number;
  /** StorCtl_Mod: which of the rates above are in force (bit 0 charge, bit 1 discharge). */
  readonly limitCharge: boolean;
  readonly limitDischarge: boolean;
  /** InOutWRte_RvrtTms. */
  readonly revertAfterS: number;
  /** InOutWRte_WinTms. */
  readonly windowS?: number;
}

export interface ActivePowerRequest {
  /** Model 704 WSet in W (for a battery: > 0 discharge, < 0 charge, as the device defines). */
  readonly watts: number;
  readonly revertAfterS: number;
  /** WSetRvrt: the set point after the revert (default 0 W). */
  readonly revertToW?: number;
}

const has = (map: SunspecMap, id: number) => map.models.some((m) => m.id === id && m.def);

function revertTime(seconds: number, modelId: number): Result<number, ControlError> {
  if (Number.isInteger(seconds) && seconds >= 1) return ok(seconds);
  return fail(
    controlError(
      'out_of_range',
      `revertAfterS ${seconds}: a control needs a revert time of at least 1 s`,
      { modelId },
    ),
  );
}

const point = (name: string, value: number): ControlPointWrite => ({ point: name, value });

/** A power limit through model 704 when the device has it, else model 123. */
export function powerLimitCommand(
  map: SunspecMap,
  request: PowerLimitRequest,
): Result<ControlCommand, ControlError> {
  const modelId = has(map, 704) ? 704 : 123;
  const revert = revertTime(request.revertAfterS, modelId);
  if (!revert.ok) return revert;
  if (modelId === 704) {
    return ok({
      modelId,
      writes: [
        point('WMaxLimPct', request.limitPct),
        point('WMaxLimPctRvrt', request.revertToPct ?? 100),
        point('WMaxLimPctEnaRvrt', DISABLED),
        point('WMaxLimPctRvrtTms', revert.value),
        point('WMaxLimPctEna', ENABLED),
      ],
    });
  }
  if (!has(map, 123))
    return fail(
      controlError('model_missing', 'the device has neither SunSpec model 704 nor 123', {
        modelId,
      }),
    );
  return ok({
    modelId,
    writes: [
      point('WMaxLimPct', request.limitPct),
      point('WMaxLimPct_WinTms', request.windowS ?? 0),
      point('WMaxLimPct_RvrtTms', revert.value),
      ...(request.rampS === undefined ? [] : [point('WMaxLimPct_RmpTms', request.rampS)]),
      point('WMaxLim_Ena', ENABLED),
    ],
  });
}

/** Battery limits through model 124 (basic storage controls). */
export function storageCommand(request: StorageRequest): Result<ControlCommand, ControlError> {
  const modelId = 124;
  const revert = revertTime(request.revertAfterS, modelId);
  if (!revert.ok) return revert;
  const optional = (name: string, value: number | undefined) =>
    value === undefined ? [] : [point(name, value)];
  return ok({
    modelId,
    writes: [
      ...optional('WChaMax', request.maxChargeW),
      ...optional('MinRsvPct', request.minReservePct),
      ...optional('OutWRte', request.dischargeRatePct),
      ...optional('InWRte', request.chargeRatePct),
      point('InOutWRte_WinTms', request.windowS ?? 0),
      point('InOutWRte_RvrtTms', revert.value),
      point('StorCtl_Mod', (request.limitCharge ? 1 : 0) | (request.limitDischarge ? 2 : 0)),
    ],
  });
}

/** An active power set point in watts through model 704. */
export function activePowerCommand(
  request: ActivePowerRequest,
): Result<ControlCommand, ControlError> {
  const modelId = 704;
  const revert = revertTime(request.revertAfterS, modelId);
  if (!revert.ok) return revert;
  return ok({
    modelId,
    writes: [
      point('WSetMod', WSET_WATTS),
      point('WSet', request.watts),
      point('WSetRvrt', request.revertToW ?? 0),
      point('WSetEnaRvrt', DISABLED),
      point('WSetRvrtTms', revert.value),
      point('WSetEna', ENABLED),
    ],
  });
}
