// Alarms as operators of control rooms know them (ISA-18.2 in spirit): a condition raises an
// alarm only after it has held for its raise delay, and clears only after it has been gone
// for its clear delay — so a value hovering at a limit does not flood the page. Analog
// conditions clear below a lower threshold than they raise at (hysteresis). An alarm stays
// listed until it has both cleared and been acknowledged; acknowledging records who did it.
// Pure: the station feeds conditions and time, and stores what changed.

export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlarmRule {
  kind: string;
  severity: Severity;
  /** The condition must hold this long before the alarm is raised. */
  raiseDelayMs: number;
  /** The condition must be gone this long before the alarm clears. */
  clearDelayMs: number;
}

/** One evaluation of one condition: `active` for on/off conditions. */
export interface Condition {
  /** Stable identity, e.g. `device-offline:pv-03`: one alarm per key at a time. */
  key: string;
  rule: AlarmRule;
  active: boolean;
  /** Shown to the operator, e.g. "pv-03 has not answered for 12 s". */
  message: string;
  /** The device, member or limit concerned, for filters. */
  source: string;
}

/**
 * An analog condition with hysteresis: active when `value` ≥ `raiseAt`; once raised, it
 * counts as present until `value` drops below `clearBelow` (< raiseAt).
 */
export interface LevelCondition extends Omit<Condition, 'active'> {
  value: number | null;
  raiseAt: number;
  clearBelow: number;
}

export interface Alarm {
  id: number;
  key: string;
  kind: string;
  severity: Severity;
  source: string;
  message: string;
  raisedAtMs: number;
  clearedAtMs: number | null;
  ackedAtMs: number | null;
  ackedBy: string | null;
}

export type AlarmChange =
  | { type: 'raised'; alarm: Alarm }
  | { type: 'cleared'; alarm: Alarm }
  | { type: 'acknowledged'; alarm: Alarm }
  | { type: 'updated'; alarm: Alarm };

interface Pending {
  since: number;
}

export class AlarmEngine {
  /** Alarms still listed: active, or cleared but not acknowledged. */
  readonly #open = new Map<string, Alarm>();
  /** When a condition was first seen active (not yet raised) or inactive (not yet cleared). */
  readonly #raising = new Map<string, Pending>();
  readonly #clearing = new Map<string, Pending>();
  /** Level conditions currently considered present (hysteresis memory). */
  readonly #levelHigh = new Set<string>();
  #nextId: number;

  constructor(open: readonly Alarm[] = [], nextId = 1) {
    for (const alarm of open) this.#open.set(alarm.key, alarm);
    this.#nextId = Math.max(nextId, ...open.map((a) => a.id + 1));
  }

  /** Alarms to show, most severe first, newest first within a severity. */
  list(): Alarm[] {
    return [...this.#open.values()].sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        b.raisedAtMs - a.raisedAtMs,
    );
  }

  /** What the navigation badge counts: alarms that are active or not yet acknowledged. */
  count(): number {
    return this.#open.size;
  }

  /** Turns a level condition into an on/off one, remembering which side of the band it is. */
  level(c: LevelCondition): Condition {
    const high = this.#levelHigh.has(c.key);
    const active = c.value !== null && (high ? c.value >= c.clearBelow : c.value >= c.raiseAt);
    if (active) this.#levelHigh.add(c.key);
    else this.#levelHigh.delete(c.key);
    return { key: c.key, rule: c.rule, message: c.message, source: c.source, active };
  }

  /**
   * Evaluates every condition of this cycle. A key not in `conditions` counts as inactive
   * (its source went away), so alarms of removed devices clear too.
   */
  evaluate(conditions: readonly Condition[], nowMs: number): AlarmChange[] {
    const changes: AlarmChange[] = [];
    const seen = new Set<string>();
    for (const c of conditions) {
      seen.add(c.key);
      const open = this.#open.get(c.key);
      if (c.active) {
        this.#clearing.delete(c.key);
        if (open && open.clearedAtMs === null) {
          if (open.message !== c.message) {
            open.message = c.message;
            changes.push({ type: 'updated', alarm: { ...open } });
          }
          continue;
        }
        const pending = this.#raising.get(c.key) ?? { since: nowMs };
        this.#raising.set(c.key, pending);
        if (nowMs - pending.since < c.rule.raiseDelayMs) continue;
        this.#raising.delete(c.key);
        // A cleared, unacknowledged alarm that comes back is a new occurrence.
        const alarm: Alarm = {
          id: this.#nextId++,
          key: c.key,
          kind: c.rule.kind,
          severity: c.rule.severity,
          source: c.source,
          message: c.message,
          raisedAtMs: nowMs,
          clearedAtMs: null,
          ackedAtMs: null,
          ackedBy: null,
        };
        this.#open.set(c.key, alarm);
        changes.push({ type: 'raised', alarm: { ...alarm } });
      } else {
        this.#raising.delete(c.key);
        if (open) this.#clearIfDue(open, c.rule.clearDelayMs, nowMs, changes);
      }
    }
    for (const open of [...this.#open.values()]) {
      if (seen.has(open.key) || open.clearedAtMs !== null) continue;
      this.#raising.delete(open.key);
      this.#clearIfDue(open, 0, nowMs, changes);
    }
    return changes;
  }

  /** Acknowledges by id; a cleared alarm leaves the list once acknowledged. */
  acknowledge(id: number, user: string, nowMs: number): Alarm | null {
    const alarm = [...this.#open.values()].find((a) => a.id === id);
    if (!alarm || alarm.ackedAtMs !== null) return null;
    alarm.ackedAtMs = nowMs;
    alarm.ackedBy = user;
    if (alarm.clearedAtMs !== null) this.#open.delete(alarm.key);
    return { ...alarm };
  }

  #clearIfDue(open: Alarm, delayMs: number, nowMs: number, changes: AlarmChange[]): void {
    if (open.clearedAtMs !== null) return;
    const pending = this.#clearing.get(open.key) ?? { since: nowMs };
    this.#clearing.set(open.key, pending);
    if (nowMs - pending.since < delayMs) return;
    this.#clearing.delete(open.key);
    open.clearedAtMs = nowMs;
    if (open.ackedAtMs !== null) this.#open.delete(open.key);
    changes.push({ type: 'cleared', alarm: { ...open } });
  }
}
