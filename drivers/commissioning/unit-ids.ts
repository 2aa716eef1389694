// Which unit ids a scan probes. The default order tries the ids devices are usually set to
// first (DOMAIN.md: 1–3, SMA at 126, Fronius meters at 200+, 240), so a scan that the
// technician stops early has most likely found the devices already.
import { fail, ok, type Result } from '../../core/result';
import { probeUnitIds } from '../sunspec/quirks';
import { commissioningError, type CommissioningError } from './commissioning-error';

export const MIN_UNIT_ID = 1;
/** 248–255 are reserved; 0 is broadcast, which never gets a reply. */
export const MAX_UNIT_ID = 247;
export const TYPICAL_UNIT_IDS: readonly number[] = [1, 2, 3, 126, 200, 201, 202, 203, 204, 240];

/**
 * The typical ids first, then those vendors are known to use (resources/sunspec/quirks.json,
 * e.g. Fronius meters at 240–244), then the rest of 1–247 in ascending order.
 */
export function defaultScanOrder(): number[] {
  const all: number[] = [];
  for (let id = MIN_UNIT_ID; id <= MAX_UNIT_ID; id++) all.push(id);
  return [...new Set([...TYPICAL_UNIT_IDS, ...probeUnitIds([]), ...all])];
}

/**
 * A list of ids and ranges such as `1-10,126,200-204`, in the order given, duplicates
 * dropped. Ids must lie in 1–247.
 */
export function parseUnitIds(text: string): Result<number[], CommissioningError> {
  const bad = (why: string) =>
    fail(
      commissioningError(
        'bad_unit_ids',
        `unit ids "${text}": ${why} (use e.g. 1-10,126,200-204 within ${MIN_UNIT_ID}-${MAX_UNIT_ID})`,
      ),
    );
  const ids: number[] = [];
  const seen = new Set<number>();
  const parts = text.split(',').map((p) => p.trim());
  for (const part of parts) {
    const match = /^(\d{1,3})(?:\s*-\s*(\d{1,3}))?$/.exec(part);
    if (!match) return bad(part === '' ? 'empty entry' : `"${part}" is not an id or a range`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < MIN_UNIT_ID || to > MAX_UNIT_ID) return bad(`"${part}" is outside the range`);
    if (to < from) return bad(`"${part}" runs backwards`);
    for (let id = from; id <= to; id++) {
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
    }
  }
  return ok(ids);
}
