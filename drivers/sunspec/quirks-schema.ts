// The format of resources/sunspec/quirks.json and its validation. Vendor quirks change how
// the station talks to real hardware, so the file is checked strictly: unknown fields, a
// regex that does not compile, a point a model does not have, and above all a quirk that
// no source backs are refused with the path of the field (`entries[2].quirks.unitIds[0]`).
import { z } from 'zod';
import { fail, ok, type Problem, type Result } from '../../core/result';
import { formatPath } from '../../core/site/site-schema';
import { getModelDef } from './model-table';

export const QUIRKS_SCHEMA_VERSION = 1;

export const QUIRK_NAMES = [
  'singleConnection',
  'unitIds',
  'unreadableRanges',
  'repeatedCommonModel',
  'missingEndMarker',
  'meterSignInverted',
] as const;

export type QuirkName = (typeof QUIRK_NAMES)[number];

/** Registers of one model a device refuses to read; offsets as for top-level points. */
export interface UnreadableRange {
  readonly modelId: number;
  /** From the first register after the model's ID and L. */
  readonly offset: number;
  readonly count: number;
}

export interface SunspecQuirks {
  /** The device serves one Modbus TCP client at a time: never open a second connection. */
  readonly singleConnection: boolean;
  /** Unit ids worth probing first on this vendor's endpoints. */
  readonly unitIds: readonly number[];
  readonly unreadableRanges: readonly UnreadableRange[];
  /** A second common model (1) starts a sub-device (e.g. a meter); identity is the first. */
  readonly repeatedCommonModel: boolean;
  /** The chain ends without 0xFFFF, and the registers after it may not answer at all. */
  readonly missingEndMarker: boolean;
  /** The vendor's meters report export as positive power, against the SunSpec rule. */
  readonly meterSignInverted: boolean;
}

export type TextMatch = { readonly prefix: string } | { readonly regex: string };

export interface QuirkSource {
  readonly for: readonly QuirkName[];
  readonly title: string;
  readonly url: string;
  readonly says: string;
}

export interface QuirkEntry {
  readonly id: string;
  readonly description: string;
  /** Documents the format only; never applied to a device. */
  readonly example: boolean;
  readonly match: { readonly manufacturer: TextMatch; readonly model: TextMatch | null };
  readonly quirks: Partial<SunspecQuirks>;
  readonly source: readonly QuirkSource[];
}

export interface QuirkTable {
  readonly entries: readonly QuirkEntry[];
}

const text = z.string().trim().min(1, 'must not be empty');
const textMatch = z.union([
  z.strictObject({ prefix: text }),
  z.strictObject({
    regex: text.refine((source) => compiles(source), 'is not a valid regular expression'),
  }),
]);

const rangeByOffset = z.strictObject({
  modelId: z.number().int().min(1).max(0xfffe),
  offset: z.number().int().min(0).max(0xfffd),
  count: z.number().int().min(1).max(0xfffe),
});
const rangeByPoint = z.strictObject({
  modelId: z.number().int().min(1).max(0xfffe),
  point: text,
});

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be kebab-case'),
  description: text,
  example: z.boolean().optional(),
  match: z.strictObject({ manufacturer: textMatch, model: textMatch.optional() }),
  quirks: z.strictObject({
    singleConnection: z.boolean().optional(),
    unitIds: z.array(z.number().int().min(0).max(255)).min(1).optional(),
    unreadableRanges: z
      .array(z.union([rangeByOffset, rangeByPoint]))
      .min(1)
      .optional(),
    repeatedCommonModel: z.boolean().optional(),
    missingEndMarker: z.boolean().optional(),
    meterSignInverted: z.boolean().optional(),
  }),
  source: z.array(
    z.strictObject({
      for: z.array(z.enum(QUIRK_NAMES)).min(1),
      title: text,
      url: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
      says: text,
    }),
  ),
});

const tableSchema = z
  .strictObject({
    $comment: z.string().optional(),
    schemaVersion: z.literal(QUIRKS_SCHEMA_VERSION, {
      error: `must be ${QUIRKS_SCHEMA_VERSION}`,
    }),
    entries: z.array(entrySchema),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    table.entries.forEach((entry, i) => {
      const issue = (path: (string | number)[], message: string): void =>
        void ctx.addIssue({ code: 'custom', path: ['entries', i, ...path], message });
      if (seen.has(entry.id)) issue(['id'], `duplicate entry id "${entry.id}"`);
      seen.add(entry.id);
      entry.quirks.unreadableRanges?.forEach((range, r) => {
        const problem = rangeProblem(range);
        if (problem) issue(['quirks', 'unreadableRanges', r, ...problem.path], problem.message);
      });
      if (entry.example) return;
      // Data that changes how the station talks to hardware must say where it comes from.
      const cited = new Set(entry.source.flatMap((s) => s.for));
      for (const name of Object.keys(entry.quirks) as QuirkName[])
        if (!cited.has(name)) issue(['quirks', name], 'no source backs this quirk');
      entry.source.forEach((s, j) =>
        s.for.forEach((name, k) => {
          if (!(name in entry.quirks))
            issue(['source', j, 'for', k], `cites "${name}", which the entry does not set`);
        }),
      );
    });
  });

type RawRange = z.infer<typeof rangeByOffset> | z.infer<typeof rangeByPoint>;

function rangeProblem(range: RawRange): { path: string[]; message: string } | null {
  if ('offset' in range)
    return range.offset + range.count > 0xfffe
      ? { path: ['count'], message: 'runs past the largest possible model length' }
      : null;
  const def = getModelDef(range.modelId);
  if (!def)
    return {
      path: ['modelId'],
      message: `model ${range.modelId} is unknown; give offset and count`,
    };
  if (!def.points.some((p) => p.name === range.point))
    return {
      path: ['point'],
      message: `model ${range.modelId} has no top-level point "${range.point}"`,
    };
  return null;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

function toRange(range: RawRange): UnreadableRange {
  if ('offset' in range) return range;
  // Validation has checked that the model and point exist.
  const point = getModelDef(range.modelId)!.points.find((p) => p.name === range.point)!;
  return { modelId: range.modelId, offset: point.offset, count: point.size };
}

/** Validates a parsed quirks file; every problem names the field it was found at. */
export function parseQuirkTable(
  input: unknown,
): Result<QuirkTable, Problem & { issues: Problem[] }> {
  const parsed = tableSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      code: 'invalid_quirks',
      path: formatPath(i.path),
      message: `${formatPath(i.path) || 'quirks'}: ${i.message}`,
    }));
    const first = issues[0] ?? { code: 'invalid_quirks', message: 'invalid quirks file' };
    return fail({ ...first, issues });
  }
  const entries = parsed.data.entries.map((e): QuirkEntry => {
    const { unreadableRanges, ...flags } = e.quirks;
    const quirks: Partial<SunspecQuirks> = unreadableRanges
      ? { ...flags, unreadableRanges: unreadableRanges.map(toRange) }
      : flags;
    return {
      id: e.id,
      description: e.description,
      example: e.example ?? false,
      match: { manufacturer: e.match.manufacturer, model: e.match.model ?? null },
      quirks,
      source: e.source,
    };
  });
  return ok({ entries });
}
