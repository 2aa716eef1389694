// Limits the SunSpec model tables do not carry but the specification states in words: a
// percentage of the rated power outside 0–100 % (or ±100 % for signed rates) is a typo, not
// a setpoint. The encoder only knows the register type (uint16: 0–65534), so without these
// `--value 500` for WMaxLimPct would reach the inverter.
import type { CommissioningError } from './commissioning-error';
import { commissioningError } from './commissioning-error';

interface Limit {
  readonly min: number;
  readonly max: number;
}

const PERCENT: Limit = { min: 0, max: 100 };
const SIGNED_PERCENT: Limit = { min: -100, max: 100 };

/** `model.point` → limits, for the setpoints commissioning most often touches. */
const LIMITS: ReadonlyMap<string, Limit> = new Map([
  ['123.WMaxLimPct', PERCENT],
  ['124.MinRsvPct', PERCENT],
  ['124.OutWRte', SIGNED_PERCENT],
  ['124.InWRte', SIGNED_PERCENT],
  ['704.WMaxLimPct', PERCENT],
  ['704.WMaxLimPctRvrt', PERCENT],
  ['704.WSetPct', SIGNED_PERCENT],
  ['704.WSetPctRvrt', SIGNED_PERCENT],
]);

/** A refusal when `value` lies outside what the point means, else null. */
export function checkPointLimit(
  modelId: number,
  pointPath: string,
  value: unknown,
  label: string,
  units: string | null,
): CommissioningError | null {
  const limit = LIMITS.get(`${modelId}.${pointPath}`);
  if (!limit || typeof value !== 'number') return null;
  if (value >= limit.min && value <= limit.max) return null;
  const unit = units ? ` ${units}` : '';
  return commissioningError(
    'out_of_range',
    `model ${modelId} ${label}: ${value}${unit} is outside ${limit.min}..${limit.max}${unit}`,
  );
}
