// People live by the wall clock, not by the sun: breakfast is at 7:00 local time summer
// and winter alike, so load profiles need the site's UTC offset including daylight saving.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Returns a function giving the local hour of day (0 ≤ h < 24) for a UTC time. The offset
 * is looked up once per UTC hour: Intl is slow and offsets only change on hour boundaries
 * in the zones a community microgrid is likely to be in.
 */
export function createLocalHourOfDay(timeZone: string): (utcMs: number) => number {
  // Throws RangeError for an unknown zone, at construction rather than mid-simulation.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  let cachedHour = Number.NaN;
  let cachedOffsetMs = 0;
  return (utcMs) => {
    const hour = Math.floor(utcMs / HOUR_MS);
    if (hour !== cachedHour) {
      cachedHour = hour;
      cachedOffsetMs = offsetMs(format, hour * HOUR_MS);
    }
    const localMs = utcMs + cachedOffsetMs;
    return (((localMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  };
}

function offsetMs(format: Intl.DateTimeFormat, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(utcMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return asUtc - utcMs;
}
