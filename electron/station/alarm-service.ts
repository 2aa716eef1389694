// The station's alarms: conditions from every snapshot (devices, grid limits, low balances,
// the ledger's last verification), raised and cleared with delays and hysteresis, stored
// in station.db, acknowledged by an operator (a ledger entry records who), and the count
// pushed to every UI for the navigation badge.
import { alarmConditions } from '../../core/alarms/alarm-conditions';
import { AlarmEngine, type Alarm, type Condition } from '../../core/alarms/alarm-engine';
import { AlarmRepository } from '../../core/alarms/alarm-repository';
import { lowBalances } from '../../core/ledger/accounts';
import type { Ledger } from '../../core/ledger/ledger-repository';
import type { Snapshot } from '../../core/points/snapshot';
import type { Site } from '../../core/site/site-types';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { DEFAULT_LOW_BALANCE_MINOR } from './ledger-handlers';
import { currentActor, currentRoleField } from './caller-context';

export interface AlarmServiceDeps {
  db: SqlDatabase;
  ledger: Ledger;
  site(): Site;
  onCount(count: number): void;
  log(line: string): void;
}

export class AlarmService {
  readonly #repository: AlarmRepository;
  readonly #engine: AlarmEngine;
  #ledgerProblem: string | null = null;
  #extra: Condition[] = [];
  /** Balances are summed over the whole ledger: again only after new entries, not per snapshot. */
  #balances: { entries: number; values: Map<string, number> } | null = null;

  constructor(private readonly deps: AlarmServiceDeps) {
    this.#repository = new AlarmRepository(deps.db);
    this.#engine = new AlarmEngine(this.#repository.open(), this.#repository.nextId());
  }

  /** The last ledger verification: a problem raises a critical alarm until one passes. */
  setLedgerProblem(problem: string | null): void {
    this.#ledgerProblem = problem;
  }

  /** Conditions from other parts of the station (control: island, load shed, overrun). */
  setExtra(conditions: Condition[]): void {
    this.#extra = conditions;
  }

  onSnapshot(snapshot: Snapshot, nowMs: number): void {
    const site = this.deps.site();
    const threshold = site.accounts?.lowBalanceMinor ?? DEFAULT_LOW_BALANCE_MINOR;
    const conditions = alarmConditions(this.#engine, {
      snapshot,
      site,
      lowBalances: lowBalances(site.members, this.#currentBalances(), threshold),
      ledgerProblem: this.#ledgerProblem,
      extra: this.#extra,
    });
    const changes = this.#engine.evaluate(conditions, nowMs);
    for (const change of changes) this.#repository.save(change.alarm);
    if (changes.length > 0) this.deps.onCount(this.#engine.count());
  }

  #currentBalances(): Map<string, number> {
    const entries = this.deps.ledger.head().entries;
    if (this.#balances?.entries !== entries)
      this.#balances = { entries, values: this.deps.ledger.balances() };
    return this.#balances.values;
  }

  list(): { alarms: Alarm[]; count: number } {
    return { alarms: this.#engine.list(), count: this.#engine.count() };
  }

  history(beforeId: number | undefined, limit: number): Alarm[] {
    return this.#repository.history(beforeId, limit);
  }

  acknowledge(id: number, nowMs: number): Alarm | null {
    const actor = currentActor();
    const alarm = this.#engine.acknowledge(id, actor, nowMs);
    if (!alarm) return null;
    this.#repository.save(alarm);
    const recorded = this.deps.ledger.append({
      kind: 'alarm-ack',
      timeMs: nowMs,
      payload: {
        actor,
        ...currentRoleField(),
        alarmId: String(alarm.id),
        note: `${alarm.kind}: ${alarm.message}`.slice(0, 2000),
      },
    });
    if (!recorded.ok) this.deps.log(`ledger: alarm acknowledgement: ${recorded.error.message}`);
    this.deps.onCount(this.#engine.count());
    return alarm;
  }
}
