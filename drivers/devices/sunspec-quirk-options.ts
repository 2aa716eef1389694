// Vendor quirks (resources/sunspec/quirks.json) applied to SunSpec polling: registers a
// vendor is known to refuse are planned around from the first cycle, instead of being
// learned one exception reply at a time (a block that touches one fails whole).
import { bundledQuirks, quirksFor, unreadableSpans, type QuirkTable } from '../sunspec/quirks';
import type { SunspecPollerOptions } from './sunspec-poller';

export function sunspecQuirkOptions(table: QuirkTable = bundledQuirks()): SunspecPollerOptions {
  return {
    knownUnreadable: (map, identity) =>
      identity ? unreadableSpans(quirksFor(identity, table).unreadableRanges, map) : [],
  };
}
