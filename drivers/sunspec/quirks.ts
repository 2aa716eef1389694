// Vendor quirks as data (resources/sunspec/quirks.json): which quirks a device has, found
// from the manufacturer and model strings of its common model, and what they mean for the
// parts of the station that talk to it: the unit ids a scan tries first, the registers a
// polling planner must not read, the link's reconnect pace, discovery and meter signs.
import rawQuirks from '../../resources/sunspec/quirks.json';
import type { BackoffOptions } from '../modbus/backoff';
import type { LinkOptions } from '../modbus/link-options';
import type { DiscoveryOptions, SunspecMap, SunspecModelEntry } from './discovery';
import {
  parseQuirkTable,
  type QuirkTable,
  type SunspecQuirks,
  type TextMatch,
  type UnreadableRange,
} from './quirks-schema';

export {
  parseQuirkTable,
  QUIRK_NAMES,
  type QuirkEntry,
  type QuirkName,
  type QuirkSource,
  type QuirkTable,
  type SunspecQuirks,
  type TextMatch,
  type UnreadableRange,
} from './quirks-schema';

const RESOURCE = 'resources/sunspec/quirks.json';

export class CorruptQuirksError extends Error {
  constructor(detail: string) {
    super(`${RESOURCE} is invalid: ${detail}`);
    this.name = 'CorruptQuirksError';
  }
}

export const NO_QUIRKS: SunspecQuirks = {
  singleConnection: false,
  unitIds: [],
  unreadableRanges: [],
  repeatedCommonModel: false,
  missingEndMarker: false,
  meterSignInverted: false,
};

let bundled: QuirkTable | null = null;

/**
 * The quirks shipped with the station, validated on first use. A broken resource is a
 * packaging bug, so it throws (naming the field) rather than quietly dropping quirks.
 */
export function bundledQuirks(): QuirkTable {
  if (bundled) return bundled;
  const parsed = parseQuirkTable(rawQuirks);
  if (!parsed.ok) throw new CorruptQuirksError(parsed.error.message);
  return (bundled = parsed.value);
}

export interface DeviceNames {
  /** Mn of common model 1. */
  readonly manufacturer: string | null;
  /** Md of common model 1. */
  readonly model: string | null;
}

export interface MatchedQuirks extends SunspecQuirks {
  /** Ids of the entries that matched, in table order. */
  readonly matched: readonly string[];
}

// Devices pad and capitalise their strings freely ("SolarEdge ", "SMA", "FRONIUS"), so
// matching ignores case and surrounding blanks.
function matches(rule: TextMatch, value: string | null): boolean {
  if (value === null) return false;
  const text = value.trim();
  if ('prefix' in rule) return text.toLowerCase().startsWith(rule.prefix.toLowerCase());
  return new RegExp(rule.regex, 'i').test(text);
}

/** Every applicable entry's quirks, merged: flags OR-ed, lists concatenated in table order. */
export function quirksFor(device: DeviceNames, table: QuirkTable = bundledQuirks()): MatchedQuirks {
  const hits = table.entries.filter(
    (e) =>
      !e.example &&
      matches(e.match.manufacturer, device.manufacturer) &&
      (e.match.model === null || matches(e.match.model, device.model)),
  );
  const flag = (name: 'singleConnection' | 'repeatedCommonModel' | 'missingEndMarker') =>
    hits.some((e) => e.quirks[name] === true);
  return {
    matched: hits.map((e) => e.id),
    singleConnection: flag('singleConnection'),
    unitIds: unique(hits.flatMap((e) => e.quirks.unitIds ?? [])),
    unreadableRanges: hits.flatMap((e) => e.quirks.unreadableRanges ?? []),
    repeatedCommonModel: flag('repeatedCommonModel'),
    missingEndMarker: flag('missingEndMarker'),
    meterSignInverted: hits.some((e) => e.quirks.meterSignInverted === true),
  };
}

/**
 * Unit ids in the order a scan should probe them: those vendors are known to use first
 * (before anything answers, the vendor is unknown), then `baseline` in its own order.
 */
export function probeUnitIds(
  baseline: readonly number[],
  table: QuirkTable = bundledQuirks(),
): number[] {
  const vendor = table.entries.filter((e) => !e.example).flatMap((e) => e.quirks.unitIds ?? []);
  return unique([...vendor, ...baseline]);
}

/** A span of 0-based wire addresses. */
export interface RegisterSpan {
  readonly address: number;
  readonly count: number;
}

/**
 * The quirks' unreadable ranges as absolute register spans of this map, for every model
 * instance they name (a map may hold a model twice), clipped to the model's declared L,
 * sorted and merged. A block read that touches one of them fails whole on such a device.
 */
export function unreadableSpans(
  ranges: readonly UnreadableRange[],
  map: Pick<SunspecMap, 'models'>,
): RegisterSpan[] {
  const spans: RegisterSpan[] = [];
  for (const range of ranges) {
    for (const model of map.models) {
      if (model.id !== range.modelId) continue;
      const end = Math.min(range.offset + range.count, model.length);
      if (end <= range.offset) continue;
      spans.push({ address: model.address + 2 + range.offset, count: end - range.offset });
    }
  }
  spans.sort((a, b) => a.address - b.address);
  const merged: RegisterSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.address <= last.address + last.count) {
      const count = Math.max(last.count, span.address + span.count - last.address);
      merged[merged.length - 1] = { address: last.address, count };
    } else merged.push(span);
  }
  return merged;
}

/**
 * The map split at every repeated common model: the device's own models (its identity is
 * the first model 1), then one list per sub-device, each starting with its own model 1.
 */
export function splitAtCommonModels(map: Pick<SunspecMap, 'models'>): {
  device: SunspecModelEntry[];
  subDevices: SunspecModelEntry[][];
} {
  const parts: SunspecModelEntry[][] = [[]];
  map.models.forEach((model, i) => {
    if (model.id === 1 && i > 0 && parts.at(-1)!.some((m) => m.id === 1)) parts.push([]);
    parts.at(-1)!.push(model);
  });
  const [device = [], ...subDevices] = parts;
  return { device, subDevices };
}

/**
 * The LinkPool already shares one link (one TCP connection) per host:port. A device that
 * takes a single client also tends to hold a dropped connection's slot for a while, so
 * reconnecting fast only collects refusals: start the backoff at 2 s, cap it at a minute.
 */
export const SINGLE_CONNECTION_BACKOFF: BackoffOptions = {
  initialMs: 2000,
  maxMs: 60_000,
  factor: 2,
};

export function linkOptionsFor(
  quirks: Pick<SunspecQuirks, 'singleConnection'>,
  base: Partial<LinkOptions> = {},
): Partial<LinkOptions> {
  if (!quirks.singleConnection) return base;
  const backoff = { ...SINGLE_CONNECTION_BACKOFF, ...base.backoff };
  return {
    ...base,
    backoff: {
      ...backoff,
      initialMs: Math.max(backoff.initialMs, SINGLE_CONNECTION_BACKOFF.initialMs),
      maxMs: Math.max(backoff.maxMs, SINGLE_CONNECTION_BACKOFF.maxMs),
    },
  };
}

/** Discovery settings for a device whose quirks are known (e.g. from an earlier identity). */
export function discoveryOptionsFor(
  quirks: Pick<SunspecQuirks, 'missingEndMarker'>,
  base: DiscoveryOptions = {},
): DiscoveryOptions {
  return quirks.missingEndMarker ? { ...base, missingEndMarker: true } : base;
}

/**
 * Factor that turns a meter's W into the SunSpec sign (import positive), which the station
 * uses for grid and household meters.
 */
export function meterPowerSign(quirks: Pick<SunspecQuirks, 'meterSignInverted'>): 1 | -1 {
  return quirks.meterSignInverted ? -1 : 1;
}

function unique(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}
