// Physical parameters of the demo microgrid that a real site would not tell the station
// (roof size, annual demand, battery chemistry limits). Kept out of the Site file on
// purpose: the station must work without them; only the simulator needs them.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const efficiency = z.number().gt(0).max(1);
const pct = z.number().min(0).max(100);

const pvSchema = z.strictObject({
  kind: z.literal('pv'),
  /** Peak DC power of the modules in W (kWp × 1000). */
  peakPowerWp: positiveInt,
  /** AC power limit of the inverter in W: output clips here on bright days. */
  ratedAcPowerW: positiveInt,
  /** Losses from soiling, wiring, temperature and a non-ideal roof orientation (0..1]. */
  derate: efficiency,
});

const householdSchema = z.strictObject({
  kind: z.literal('household-load'),
  annualConsumptionWh: positiveInt,
});

const batterySchema = z
  .strictObject({
    kind: z.literal('battery'),
    capacityWh: positiveInt,
    maxChargeW: positiveInt,
    maxDischargeW: positiveInt,
    chargeEfficiency: efficiency,
    dischargeEfficiency: efficiency,
    minSocPct: pct,
    maxSocPct: pct,
    initialSocPct: pct,
    /** How long an external setpoint holds without being re-sent (like SunSpec *_RvrtTms). */
    setpointRevertAfterMs: positiveInt,
  })
  .refine((b) => b.minSocPct < b.maxSocPct, {
    message: 'minSocPct must be below maxSocPct',
    path: ['minSocPct'],
  });

/** A load the station can switch off (heat pump, water heater), behind its member's meter. */
const switchableLoadSchema = z.strictObject({
  kind: z.literal('switchable-load'),
  /** What it draws while switched on, in W; 0 when off. */
  powerW: positiveInt,
});

const deviceSchema = z.discriminatedUnion('kind', [
  pvSchema,
  householdSchema,
  batterySchema,
  switchableLoadSchema,
]);

const communityLoadSchema = z.strictObject({
  /** Street lights and hall lighting, switched on at dusk by a photocell. */
  nightPowerW: z.number().int().nonnegative(),
  /** Always on, day and night: the hall's fridge, network and emergency lighting. */
  basePowerW: z.number().int().nonnegative().default(0),
});

export const demoPhysicsConfigSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Keyed by device id in the Site. */
  devices: z.record(z.string().min(1), deviceSchema),
  /** Keyed by member id of a member with kind 'community'. */
  communityLoads: z.record(z.string().min(1), communityLoadSchema),
});

export type DemoPhysicsConfig = z.infer<typeof demoPhysicsConfigSchema>;
export type DevicePhysics = z.infer<typeof deviceSchema>;
export type PvPhysics = z.infer<typeof pvSchema>;
export type HouseholdPhysics = z.infer<typeof householdSchema>;
export type BatteryPhysics = z.infer<typeof batterySchema>;
export type SwitchableLoadPhysics = z.infer<typeof switchableLoadSchema>;

/** A demo physics file that cannot be used; `path` names the bad field, e.g. `devices["pv-01"].derate`. */
export class DemoPhysicsConfigError extends Error {
  override readonly name = 'DemoPhysicsConfigError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`demo physics: ${path || '(root)'}: ${detail}`);
  }
}

/** Validates parsed JSON; throws DemoPhysicsConfigError naming the first bad field. */
export function parseDemoPhysicsConfig(json: unknown): DemoPhysicsConfig {
  const result = demoPhysicsConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new DemoPhysicsConfigError('', 'invalid');
  throw new DemoPhysicsConfigError(formatPath(issue.path), issue.message);
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key))
      text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}
