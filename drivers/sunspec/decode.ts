// A model body (the L registers after ID and L) to named, scaled values. Scale factors are
// looked up in the same group instance first, then in the model's fixed block; a scale
// factor that is not implemented makes the values it scales null, never raw numbers.
import { fail, ok, type Result } from '../../core/result';
import { decodeCounts, instanceLengthRegs, ownLengthRegs, type CountLookup } from './layout';
import type {
  DecodedGroup,
  DecodedModel,
  SunspecBlockDef,
  SunspecModelDef,
  SunspecPointDef,
  SunspecValue,
} from './model-types';
import { decodePointRaw, type RawPointValue, type Words } from './point-decode';
import { applyScale, applyScale64, MAX_SF, MIN_SF } from './scale';
import { sunspecError, type SunspecError } from './sunspec-error';

export type { Words } from './point-decode';

interface Context {
  readonly def: SunspecModelDef;
  readonly words: Words;
  readonly lengthRegs: number;
  readonly counts: CountLookup;
}

/** A scaled value from a raw one; `sf` null means the SF point is not implemented. */
export function scaleRaw(
  point: SunspecPointDef,
  raw: RawPointValue,
  sf: number | null,
): SunspecValue {
  if (raw === null || typeof raw === 'string') return raw;
  const isFloat = point.type === 'float32' || point.type === 'float64';
  if (point.sf === null || isFloat) return typeof raw === 'bigint' ? applyScale64(raw, 0) : raw;
  if (sf === null) return null;
  return typeof raw === 'bigint' ? applyScale64(raw, sf) : applyScale(raw, sf);
}

function readRaw(ctx: Context, point: SunspecPointDef, at: number): RawPointValue {
  // Points past L are absent on this device (older model revision, model 1 with L=65).
  return at + point.size > ctx.lengthRegs ? null : decodePointRaw(point, ctx.words, at);
}

function scaleFactor(
  ctx: Context,
  block: SunspecBlockDef,
  base: number,
  point: SunspecPointDef,
): number | null {
  if (typeof point.sf === 'number') return point.sf;
  if (point.sf === null) return 0;
  const local = block.points.find((p) => p.name === point.sf);
  const sfPoint = local ?? (ctx.def.points.find((p) => p.name === point.sf) as SunspecPointDef);
  const raw = readRaw(ctx, sfPoint, local ? base + sfPoint.offset : sfPoint.offset);
  // SunSpec allows -10..10; a register outside that is garbage (0 × 10^309 would be NaN).
  return typeof raw === 'number' && raw >= MIN_SF && raw <= MAX_SF ? raw : null;
}

function decodeBlock(ctx: Context, block: SunspecBlockDef, base: number): DecodedGroup {
  const points: Record<string, SunspecValue> = {};
  for (const point of block.points) {
    const raw = readRaw(ctx, point, base + point.offset);
    points[point.name] = scaleRaw(
      point,
      raw,
      raw === null ? null : scaleFactor(ctx, block, base, point),
    );
  }
  const groups: Record<string, DecodedGroup[]> = {};
  let cursor = base + ownLengthRegs(block);
  for (const g of block.groups) {
    // decodeCounts has resolved every count, so these are defined.
    const n = ctx.counts(g) as number;
    const length = instanceLengthRegs(g, ctx.counts) as number;
    groups[g.name] = Array.from({ length: n }, (_, i) => decodeBlock(ctx, g, cursor + i * length));
    cursor += n * length;
  }
  return { points, groups };
}

/**
 * Decodes a model body. `lengthRegs` is L as the device declared it (defaults to the
 * number of words); it decides how many repeats an L-filling group has. Words beyond L
 * are ignored.
 */
export function decodeModel(
  def: SunspecModelDef,
  words: Words,
  lengthRegs: number = words.length,
): Result<DecodedModel, SunspecError> {
  if (words.length < lengthRegs) {
    return fail(
      sunspecError(
        'short_body',
        `model ${def.id}: ${words.length} words given for L=${lengthRegs}`,
        { modelId: def.id },
      ),
    );
  }
  const counts = decodeCounts(def, words, lengthRegs);
  if (!counts.ok) return counts;
  const body = decodeBlock({ def, words, lengthRegs, counts: counts.value }, def, 0);
  return ok({ id: def.id, name: def.name, lengthRegs, ...body });
}
