// What a device refused to read (exception 02, or 03 on a read), so that the planner never
// asks again for a block that crosses it (Victron's dbus-modbus-client does the same).
//
// An entry is a half-open span [from, to) of one table. An empty span (from = to) is a
// boundary: the device serves the registers on both sides, but not one read across it
// (e.g. a device that cannot read across its internal block borders). A read [s, e)
// crosses an entry when s < to and from < e, which for a boundary means s < from < e.
//
// Learned entries expire after `ttlMs` (default one hour): a device that answered 02
// while it was booting gets asked again later. Entries from known device quirks are
// permanent.
import type { ReadFc } from './poll-types';

export interface Refusal {
  readonly fc: ReadFc;
  readonly from: number;
  readonly to: number;
  readonly learnedMs: number;
  readonly permanent: boolean;
}

export type RefusalCheck = (fc: ReadFc, from: number, to: number) => boolean;

export const DEFAULT_REFUSAL_TTL_MS = 3_600_000;

export class RefusalMemory {
  private entries: Refusal[] = [];

  constructor(private readonly ttlMs: number = DEFAULT_REFUSAL_TTL_MS) {}

  /** Records a refusal; false when an identical one was known already (its age is reset). */
  add(fc: ReadFc, from: number, to: number, nowMs: number, permanent = false): boolean {
    const index = this.entries.findIndex((e) => e.fc === fc && e.from === from && e.to === to);
    const known = index >= 0 && this.live(this.entries[index]!, nowMs);
    const entry = {
      fc,
      from,
      to,
      learnedMs: nowMs,
      permanent: permanent || (known && this.entries[index]!.permanent),
    };
    if (index >= 0) this.entries[index] = entry;
    else this.entries.push(entry);
    return !known;
  }

  /** True when a read of [from, to) would cross something the device refused. */
  crosses(fc: ReadFc, from: number, to: number, nowMs: number): boolean {
    return this.entries.some(
      (e) => e.fc === fc && from < e.to && e.from < to && this.live(e, nowMs),
    );
  }

  /** The check the planner takes, fixed at one instant. */
  check(nowMs: number): RefusalCheck {
    this.entries = this.entries.filter((e) => this.live(e, nowMs));
    return (fc, from, to) => this.crosses(fc, from, to, nowMs);
  }

  list(nowMs: number): Refusal[] {
    return this.entries.filter((e) => this.live(e, nowMs));
  }

  clear(): void {
    this.entries = [];
  }

  private live(entry: Refusal, nowMs: number): boolean {
    return entry.permanent || nowMs - entry.learnedMs < this.ttlMs;
  }
}
