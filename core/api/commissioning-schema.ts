// Shapes of the commissioning requests. They check types and protocol limits; whether a
// device fits the site (unknown member, a second grid meter, a bad URL) is decided by the
// site schema when the edit is applied (core/site/site-edit.ts), so both say the same.
import { z } from 'zod';
import { opcuaSettingsSchema } from '../site/site-schema';
import { DEVICE_ROLES } from '../site/site-types';

const MAX_REGISTERS = 125;
const ADDRESS_SPACE = 0x10000;

const id = z.string().min(1).max(63);
const url = z.string().min(1).max(300);

/** Write-only: stored in the data directory, never echoed. */
export const opcuaPassword = z.string().min(1, 'must not be empty').max(1024);

const deviceFields = {
  name: z.string().max(120),
  url,
  role: z.enum(DEVICE_ROLES),
  memberId: id.nullable(),
  pollIntervalMs: z.number().int(),
};

export const deviceInputSchema = z.strictObject({
  id,
  ...deviceFields,
  profile: id.optional(),
  opcua: opcuaSettingsSchema.optional(),
  opcuaPassword: opcuaPassword.optional(),
});

export const deviceUpdateSchema = z.strictObject({
  id,
  changes: z
    .strictObject({
      name: deviceFields.name.optional(),
      url: url.optional(),
      role: deviceFields.role.optional(),
      memberId: deviceFields.memberId.optional(),
      pollIntervalMs: deviceFields.pollIntervalMs.optional(),
      profile: id.nullable().optional(),
      opcua: opcuaSettingsSchema.nullable().optional(),
      opcuaPassword: opcuaPassword.nullable().optional(),
    })
    .refine((c) => Object.keys(c).length > 0, 'name at least one field to change'),
});

export const deviceIdSchema = z.strictObject({ id });
export const deviceEnableSchema = z.strictObject({ id, enabled: z.boolean() });

const unitId = z.number().int().min(1).max(247);

export const scanRequestSchema = z.strictObject({
  url,
  unitIds: z
    .array(unitId)
    .min(1)
    .max(247)
    .refine((ids) => new Set(ids).size === ids.length, 'unit ids must not repeat')
    .optional(),
  timeoutMs: z.number().int().min(50).max(10_000).optional(),
});

export const scanIdSchema = z.strictObject({ scanId: z.string().min(1).max(64) });

type Target = { deviceId?: string; url?: string };
const oneTarget = (p: Target): boolean => (p.deviceId === undefined) !== (p.url === undefined);

/** Exactly one of `deviceId` and `url`, plus the method's own fields. */
function targeted<T extends z.ZodRawShape>(shape: T) {
  return z
    .strictObject({ deviceId: id.optional(), url: url.optional(), ...shape })
    .refine((p) => oneTarget(p as Target), {
      message: 'give either deviceId or url',
      path: ['deviceId'],
    });
}

export const deviceTargetSchema = targeted({});

export const registerQuerySchema = targeted({
  address: z
    .number()
    .int()
    .min(0)
    .max(ADDRESS_SPACE - 1),
  count: z.number().int().min(1).max(MAX_REGISTERS),
  function: z.union([z.literal(3), z.literal(4)], { error: 'must be 3 or 4' }),
}).refine((q) => q.address + q.count <= ADDRESS_SPACE, {
  message: 'address + count passes register 65535',
  path: ['count'],
});

export const pointWriteSchema = targeted({
  model: z.number().int().min(1).max(65534),
  point: z
    .string()
    .min(1)
    .max(100)
    .regex(
      /^[A-Za-z_]\w*(\[\d{1,5}\])?(\.[A-Za-z_]\w*(\[\d{1,5}\])?)*$/,
      'must be a SunSpec point name such as WMaxLimPct or module[1].DCA',
    ),
  value: z.union([
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.string().min(1).max(64),
  ]),
});
