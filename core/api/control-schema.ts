// Runtime shapes of control parameters as they arrive over the wire (and as station.db
// keeps them): strict objects, every number bounded to what a real site could mean. The
// rules between fields and against the site are validateControlConfig's.
import { z } from 'zod';
import { STRATEGY_NAMES } from '../control/control-config';

const watts = z.number().min(0).max(1e8);
const signedWatts = z.number().min(-1e8).max(1e8);
const pct = z.number().min(0).max(100);
const seconds = z.number().min(0).max(86_400);
const minuteOfDay = z.number().int().min(0).max(1439);

export const strategiesSchema = z
  .array(z.enum(STRATEGY_NAMES))
  .max(STRATEGY_NAMES.length)
  .refine((s) => new Set(s).size === s.length, 'strategies must not repeat');

const touWindowSchema = z.strictObject({
  startMinute: minuteOfDay,
  endMinute: minuteOfDay,
  targetSocPct: pct,
  chargePowerW: watts,
});

const islandSchema = z.strictObject({
  voltageMinV: z.number().min(0).max(1000),
  voltageMaxV: z.number().min(0).max(1000),
  frequencyMinHz: z.number().min(0).max(100),
  frequencyMaxHz: z.number().min(0).max(100),
  returnVoltageMinV: z.number().min(0).max(1000),
  returnVoltageMaxV: z.number().min(0).max(1000),
  returnFrequencyMinHz: z.number().min(0).max(100),
  returnFrequencyMaxHz: z.number().min(0).max(100),
  lossConfirmCycles: z.number().int().min(1).max(2),
  enterServiceDelayS: seconds,
  restoreStepS: seconds,
  shedSocPct: pct,
  criticalShedSocPct: pct,
  restoreHysteresisPct: pct,
  powerMarginPct: pct,
  pvCurtailSocPct: pct,
});

/** A whole or partial config: top-level fields optional, objects partial, lists whole. */
export const controlConfigPatchSchema = z.strictObject({
  strategies: strategiesSchema.optional(),
  // Fixed by the station; accepted only unchanged (applyControlPatch), so that a whole
  // config read from control.state can be sent back.
  cycleMs: z.number().min(1).max(60_000).optional(),
  rewriteFraction: z.number().gt(0).lt(1).optional(),
  selfConsumption: z
    .strictObject({ gridTargetW: signedWatts.optional(), minSocPct: pct.optional() })
    .optional(),
  peakShaving: z
    .strictObject({ importLimitW: watts.optional(), marginW: watts.optional() })
    .optional(),
  exportLimit: z
    .strictObject({ exportLimitW: watts.optional(), marginW: watts.optional() })
    .optional(),
  touCharging: z.strictObject({ windows: z.array(touWindowSchema).max(12) }).optional(),
  outageReserve: z.strictObject({ reserveSocPct: pct.optional() }).optional(),
  soc: z
    .strictObject({ minPct: pct.optional(), maxPct: pct.optional(), taperPct: pct.optional() })
    .optional(),
  rampWPerS: z.number().gt(0).max(1e8).optional(),
  minWriteIntervalMs: z.number().int().min(0).max(600_000).optional(),
  // A revert timer much longer than an hour would defeat the fall-back it exists for.
  setpointLifetimeS: z.number().int().min(1).max(3600).optional(),
  island: islandSchema.partial().optional(),
});

export const controlConfigRequestSchema = z.strictObject({ config: controlConfigPatchSchema });
