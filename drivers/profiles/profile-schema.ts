// Validation of a device profile file (format described in profile-types.ts). Field shapes
// are checked here with zod; what needs several fields at once (units of canonical points,
// overlaps, read limits, manual numbering) in profile-checks.ts. Every problem names the
// file and the field: `resources/profiles/x.json: points[3].type: …`.
import { z } from 'zod';
import { fail, ok, type Problem, type Result } from '../../core/result';
import { DEVICE_ROLES } from '../../core/site/site-types';
import { formatPath } from '../../core/site/site-schema';
import { checkProfile, resolveProfile } from './profile-checks';
import { PROFILE_SCHEMA_VERSION, REGISTER_TYPES, type DeviceProfile } from './profile-types';

const kebab = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be kebab-case: a–z, 0–9 and "-", at most 63 characters',
  );
const text = z.string().trim().min(1, 'must not be empty').max(2000);
const order = z.enum(['big', 'little']);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const pointInput = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][A-Za-z0-9]{0,62}$/, 'must be camelCase: a letter, then letters and digits'),
  description: text.optional(),
  address: z.number().int('must be a whole number').min(0).max(0xffff, 'must be 0–65535'),
  manualRegister: z.number().int().min(0).max(999_999).optional(),
  function: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
      error: 'must be 1, 2, 3 or 4',
    })
    .optional(),
  type: z.enum([...REGISTER_TYPES, 'bool']),
  length: z.number().int().min(1).max(125).optional(),
  wordOrder: order.optional(),
  byteOrder: order.optional(),
  scale: finite.refine((v) => v !== 0, 'must not be 0').optional(),
  offset: finite.optional(),
  sign: z.enum(['as-is', 'invert']).optional(),
  unit: z.string().max(16).optional(),
  poll: z.enum(['fast', 'slow']).optional(),
  nullRaw: z.array(z.number().int()).max(8).optional(),
  writable: z.strictObject({ min: finite, max: finite }).optional(),
});
export type PointInput = z.infer<typeof pointInput>;

export const profileSchema = z
  .strictObject({
    schemaVersion: z.literal(PROFILE_SCHEMA_VERSION, {
      error: `must be ${PROFILE_SCHEMA_VERSION}`,
    }),
    id: kebab,
    manufacturer: text,
    model: text,
    description: text,
    roles: z.array(z.enum(DEVICE_ROLES)).min(1, 'needs at least one device role'),
    source: z.strictObject({
      title: text,
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      version: text,
      addressing: z.enum(['0-based', '1-based']),
      notes: text.optional(),
    }),
    defaults: z.strictObject({
      unitId: z.number().int().min(0).max(255),
      wordOrder: order,
      byteOrder: order,
      function: z.union([z.literal(3), z.literal(4)], { error: 'must be 3 or 4' }),
      maxReadRegisters: z.number().int().min(1).max(125, 'must be at most 125 (Modbus limit)'),
      maxGapRegisters: z.number().int().min(0).max(124),
    }),
    points: z.array(pointInput).min(1, 'needs at least one point'),
  })
  .superRefine((profile, ctx) => {
    for (const issue of checkProfile(profile)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type ProfileInput = z.infer<typeof profileSchema>;

export type ProfileProblem = Problem & { code: 'invalid_profile'; issues: Problem[] };

/**
 * Validates parsed JSON as a profile. `label` names the file in messages (e.g.
 * `resources/profiles/eastron-sdm630.json`).
 */
export function parseProfile(input: unknown, label: string): Result<DeviceProfile, ProfileProblem> {
  const parsed = profileSchema.safeParse(input);
  if (parsed.success) return ok(resolveProfile(parsed.data));
  const issues = parsed.error.issues.map((i) => {
    const path = formatPath(i.path);
    return {
      code: 'invalid_profile',
      path,
      message: `${label}: ${path || 'profile'}: ${i.message}`,
    };
  });
  const first = issues[0] ?? { code: 'invalid_profile', message: `${label}: invalid profile` };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return fail({ ...first, code: 'invalid_profile', message: first.message + more, issues });
}

/** Parses a profile file's text; bad JSON is reported like a schema problem. */
export function parseProfileJson(
  textIn: string,
  label: string,
): Result<DeviceProfile, ProfileProblem> {
  let data: unknown;
  try {
    data = JSON.parse(textIn);
  } catch (cause) {
    const message = `${label}: not valid JSON: ${(cause as Error).message}`;
    const issue = { code: 'invalid_profile', message };
    return fail({ ...issue, code: 'invalid_profile', issues: [issue] });
  }
  return parseProfile(data, label);
}
