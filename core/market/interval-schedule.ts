// When market intervals open, close and settle. Delivery intervals are aligned to multiples
// of their length since the Unix epoch (UTC): for 5, 15 and 60 minutes that is the wall
// clock's quarter hours and hours in every time zone with a whole-quarter-hour offset
// (all but a handful, e.g. Nepal +5:45 for 60-minute intervals, where they start at :15).
//
// Life of an interval:  open ──gate closure──▶ closed ──clearing──▶ cleared
//                        ──delivery end + settle delay──▶ settled
// Orders for an interval are taken until its gate closes (gateClosureMinutes before its
// delivery starts); the station clears right after, so members know their positions before
// delivery; settlement waits for the meter readings at the end of delivery.

export const INTERVAL_STATES = ['open', 'closed', 'cleared', 'settled'] as const;
export type IntervalState = (typeof INTERVAL_STATES)[number];

export interface MarketSchedule {
  intervalMinutes: number;
  /** Orders close this long before delivery starts (≥ 0). */
  gateClosureMinutes: number;
  /** Settlement waits this long after delivery for the last meter readings. */
  settleDelayMs: number;
}

export interface DeliveryInterval {
  /** `2026-11-26T10:15Z/15`: start (UTC, minutes) and length; sorts by time. */
  id: string;
  startMs: number;
  endMs: number;
  gateClosureMs: number;
  settleAtMs: number;
}

const MINUTE_MS = 60_000;

export function intervalStarting(startMs: number, schedule: MarketSchedule): DeliveryInterval {
  const lengthMs = schedule.intervalMinutes * MINUTE_MS;
  if (startMs % lengthMs !== 0) throw new Error(`interval start ${startMs} is not aligned`);
  return {
    id: `${new Date(startMs).toISOString().slice(0, 16)}Z/${schedule.intervalMinutes}`,
    startMs,
    endMs: startMs + lengthMs,
    gateClosureMs: startMs - schedule.gateClosureMinutes * MINUTE_MS,
    settleAtMs: startMs + lengthMs + schedule.settleDelayMs,
  };
}

/** The interval delivering at `tsMs`. */
export function deliveryAt(tsMs: number, schedule: MarketSchedule): DeliveryInterval {
  const lengthMs = schedule.intervalMinutes * MINUTE_MS;
  return intervalStarting(Math.floor(tsMs / lengthMs) * lengthMs, schedule);
}

/** The first interval whose gate is still open at `nowMs`: the one members trade now. */
export function openIntervalAt(nowMs: number, schedule: MarketSchedule): DeliveryInterval {
  const lengthMs = schedule.intervalMinutes * MINUTE_MS;
  let interval = deliveryAt(nowMs, schedule);
  while (interval.gateClosureMs <= nowMs)
    interval = intervalStarting(interval.startMs + lengthMs, schedule);
  return interval;
}

/** Intervals whose gate closed in (fromMs, toMs], oldest first: they are due for clearing. */
export function gatesClosedBetween(
  fromMs: number,
  toMs: number,
  schedule: MarketSchedule,
): DeliveryInterval[] {
  const lengthMs = schedule.intervalMinutes * MINUTE_MS;
  const due: DeliveryInterval[] = [];
  let interval = openIntervalAt(fromMs, schedule);
  while (interval.gateClosureMs <= toMs) {
    due.push(interval);
    interval = intervalStarting(interval.startMs + lengthMs, schedule);
  }
  return due;
}

/** Whether an interval may move from one state to the next (never backwards, never skipping). */
export function canMove(from: IntervalState, to: IntervalState): boolean {
  return INTERVAL_STATES.indexOf(to) === INTERVAL_STATES.indexOf(from) + 1;
}
