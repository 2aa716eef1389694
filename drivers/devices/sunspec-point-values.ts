// Decodes a read plan's points from block values: canonical points (scaled, sentinels and
// unreadable registers as null), the model headers a cycle read (a changed header means
// the device renumbered its map: re-discover), and the identity strings of model 1.
import type { PointName } from '../../core/points/point-names';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { fail, ok, type Result } from '../../core/result';
import type { BlockValues } from '../modbus/block-values';
import type { RegisterRange } from '../modbus/poll-types';
import { scaleRaw } from '../sunspec/decode';
import { decodePointRaw, decodeSunssf } from '../sunspec/point-decode';
import { sunspecError, type SunspecError } from '../sunspec/sunspec-error';
import type { SourceRead, SunspecReadPlan } from './sunspec-read-plan';

export type WordSource = Pick<BlockValues, 'words' | 'has'>;

/** One source's scaled value: null if not implemented, past L, or unreadable. */
export function sourceValue(source: SourceRead, values: WordSource): number | string | null {
  if (!source.range) return null;
  const words = values.words(source.range);
  if (!words) return null;
  const raw = decodePointRaw(source.point, words, 0);
  if (raw === null) return null;
  let sf: number | null;
  if (source.sf === null) sf = null;
  else if (typeof source.sf === 'number') sf = source.sf;
  else {
    const sfWords = values.words(source.sf);
    sf = sfWords ? decodeSunssf(sfWords, 0) : null;
  }
  return scaleRaw(source.point, raw, sf);
}

/** Canonical values, each from its first source with a number (as the per-model poller did). */
export function canonicalValues(
  plan: SunspecReadPlan,
  values: WordSource,
): Partial<Record<PointName, number | null>> {
  const out: Partial<Record<PointName, number | null>> = {};
  for (const { name, sources } of plan.points) {
    for (const source of sources) {
      const decoded = sourceValue(source, values);
      const value = typeof decoded === 'number' && source.decode ? source.decode(decoded) : decoded;
      if (typeof value === 'number' || value === null) {
        out[name] = value;
        if (value !== null) break;
      }
    }
  }
  return out;
}

/**
 * Checks the headers this cycle read (or tried to): each must still say the model id and
 * L that discovery found. An unreadable header also fails: the map has moved.
 */
export function checkHeaders(
  plan: SunspecReadPlan,
  cycle: WordSource,
  unreadable: readonly RegisterRange[],
): Result<void, SunspecError> {
  for (const { entry, range } of plan.headers) {
    const words = cycle.words(range);
    const lost = unreadable.some((r) => r.address === range.address && r.fc === range.fc);
    if (!lost && !words) continue; // not due this cycle
    if (words && words[0] === entry.id && words[1] === entry.length) continue;
    const found = words ? `found ID ${words[0]} L=${words[1]}` : 'the header is unreadable';
    return fail(
      sunspecError(
        'stale_map',
        `expected model ${entry.id} (L=${entry.length}) at ${entry.address}, ${found}`,
        { modelId: entry.id, address: entry.address },
      ),
    );
  }
  return ok(undefined);
}

/** Identity from model 1 when this cycle read it, else null. */
export function identityFrom(plan: SunspecReadPlan, cycle: WordSource): DeviceIdentity | null {
  const sn = plan.identity?.SN;
  if (!plan.identity || !sn?.range || !cycle.has(sn.range)) return null;
  const text = (source: SourceRead | undefined): string | null => {
    const value = source ? sourceValue(source, cycle) : null;
    return typeof value === 'string' ? value : null;
  };
  return {
    manufacturer: text(plan.identity.Mn),
    model: text(plan.identity.Md),
    serialNumber: text(sn),
    version: text(plan.identity.Vr),
  };
}
