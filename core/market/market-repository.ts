// The market's working state in station.db: intervals with their clearing and settlement,
// the orders of each interval, members' trading preferences and the meter counter readings
// at interval boundaries. The tamper-evident record of trades and settlements is the ledger;
// these tables are what the station needs to run the market and show it.
import type { Migration, SqlDatabase } from '../storage/sql-port';
import type { ClearingResult } from './clearing-types';
import type { IntervalState } from './interval-schedule';
import type { MarketRuleName } from './island-rules';
import type { OrderInput } from './order-types';

export const marketMigrations: Migration[] = [
  {
    scope: 'market',
    version: 1,
    description: 'intervals, orders, preferences, boundary meter readings',
    up: (db) =>
      db.exec(`
        CREATE TABLE market_intervals (
          id TEXT PRIMARY KEY,
          start_ms INTEGER NOT NULL,
          end_ms INTEGER NOT NULL,
          gate_closure_ms INTEGER NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'cleared', 'settled')),
          mechanism TEXT NOT NULL,
          cleared_at_ms INTEGER,
          settled_at_ms INTEGER,
          clearing_json TEXT,
          settlement_json TEXT
        );
        CREATE INDEX market_intervals_start ON market_intervals (start_ms);
        CREATE TABLE market_orders (
          interval_id TEXT NOT NULL,
          order_id TEXT NOT NULL,
          member_id TEXT NOT NULL,
          source TEXT NOT NULL CHECK (source IN ('agent', 'manual')),
          created_ms INTEGER NOT NULL,
          input_json TEXT NOT NULL,
          PRIMARY KEY (interval_id, order_id)
        );
        CREATE TABLE market_preferences (
          member_id TEXT PRIMARY KEY,
          json TEXT NOT NULL,
          updated_ms INTEGER NOT NULL
        );
        CREATE TABLE market_meter_readings (
          ts_ms INTEGER NOT NULL,
          member_id TEXT NOT NULL,
          import_wh INTEGER NOT NULL,
          export_wh INTEGER NOT NULL,
          PRIMARY KEY (ts_ms, member_id)
        );`),
  },
  {
    scope: 'market',
    version: 2,
    description: 'the rules each interval cleared under (normal or an island rule)',
    up: (db) =>
      db.exec(`
        ALTER TABLE market_intervals ADD COLUMN rules TEXT NOT NULL DEFAULT 'normal'
          CHECK (rules IN ('normal', 'fair-share', 'scarcity-price'));
        ALTER TABLE market_intervals ADD COLUMN rules_before TEXT
          CHECK (rules_before IN ('normal', 'fair-share', 'scarcity-price'));`),
  },
];

export type OrderSource = 'agent' | 'manual';

export interface StoredOrder {
  intervalId: string;
  source: OrderSource;
  createdMs: number;
  input: OrderInput;
}

export interface StoredInterval {
  id: string;
  startMs: number;
  endMs: number;
  gateClosureMs: number;
  state: IntervalState;
  mechanism: string;
  /** What the interval cleared under: the normal market, or island rules (grid lost at gate closure). */
  rules: MarketRuleName;
  /** The rules of the interval cleared before it (null: none before); differs at a switch. */
  previousRules: MarketRuleName | null;
  clearedAtMs: number | null;
  settledAtMs: number | null;
  clearing: ClearingResult | null;
  /** The settlement as computed (see settlement.ts); opaque to the repository. */
  settlement: unknown;
}

export interface BoundaryReading {
  memberId: string;
  importWh: number;
  exportWh: number;
}

interface IntervalRow {
  id: string;
  start_ms: number;
  end_ms: number;
  gate_closure_ms: number;
  state: IntervalState;
  mechanism: string;
  rules: MarketRuleName;
  rules_before: MarketRuleName | null;
  cleared_at_ms: number | null;
  settled_at_ms: number | null;
  clearing_json: string | null;
  settlement_json: string | null;
}

const fromRow = (r: IntervalRow): StoredInterval => ({
  id: r.id,
  startMs: r.start_ms,
  endMs: r.end_ms,
  gateClosureMs: r.gate_closure_ms,
  state: r.state,
  mechanism: r.mechanism,
  rules: r.rules,
  previousRules: r.rules_before,
  clearedAtMs: r.cleared_at_ms,
  settledAtMs: r.settled_at_ms,
  clearing: r.clearing_json ? (JSON.parse(r.clearing_json) as ClearingResult) : null,
  settlement: r.settlement_json ? (JSON.parse(r.settlement_json) as unknown) : null,
});

export class MarketRepository {
  constructor(private readonly db: SqlDatabase) {}

  interval(id: string): StoredInterval | null {
    const row = this.db.prepare<IntervalRow>('SELECT * FROM market_intervals WHERE id = ?').get(id);
    return row ? fromRow(row) : null;
  }

  /** Newest first. */
  recentIntervals(limit: number): StoredInterval[] {
    return this.db
      .prepare<IntervalRow>('SELECT * FROM market_intervals ORDER BY start_ms DESC LIMIT ?')
      .all(limit)
      .map(fromRow);
  }

  /** The rules of the newest interval cleared so far; null before the first. */
  lastRules(): MarketRuleName | null {
    const row = this.db
      .prepare<{ rules: MarketRuleName }>(
        "SELECT rules FROM market_intervals WHERE state IN ('cleared', 'settled') ORDER BY start_ms DESC LIMIT 1",
      )
      .get();
    return row?.rules ?? null;
  }

  /** Cleared intervals waiting for settlement, oldest first. */
  unsettled(): StoredInterval[] {
    return this.db
      .prepare<IntervalRow>(
        "SELECT * FROM market_intervals WHERE state = 'cleared' ORDER BY start_ms",
      )
      .all()
      .map(fromRow);
  }

  saveCleared(interval: Omit<StoredInterval, 'settlement' | 'settledAtMs'>): void {
    this.db
      .prepare(
        `INSERT INTO market_intervals (id, start_ms, end_ms, gate_closure_ms, state, mechanism, rules, rules_before, cleared_at_ms, clearing_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, mechanism = excluded.mechanism,
           rules = excluded.rules, rules_before = excluded.rules_before,
           cleared_at_ms = excluded.cleared_at_ms, clearing_json = excluded.clearing_json`,
      )
      .run(
        interval.id,
        interval.startMs,
        interval.endMs,
        interval.gateClosureMs,
        interval.state,
        interval.mechanism,
        interval.rules,
        interval.previousRules,
        interval.clearedAtMs,
        interval.clearing ? JSON.stringify(interval.clearing) : null,
      );
  }

  saveSettled(id: string, settledAtMs: number, settlement: unknown): void {
    this.db
      .prepare(
        "UPDATE market_intervals SET state = 'settled', settled_at_ms = ?, settlement_json = ? WHERE id = ? AND state = 'cleared'",
      )
      .run(settledAtMs, JSON.stringify(settlement), id);
  }

  addOrder(order: StoredOrder): void {
    this.db
      .prepare(
        'INSERT INTO market_orders (interval_id, order_id, member_id, source, created_ms, input_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        order.intervalId,
        order.input.id,
        order.input.member,
        order.source,
        order.createdMs,
        JSON.stringify(order.input),
      );
  }

  removeOrder(intervalId: string, orderId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM market_orders WHERE interval_id = ? AND order_id = ?')
        .run(intervalId, orderId).changes > 0
    );
  }

  orders(intervalId: string): StoredOrder[] {
    return this.db
      .prepare<{ source: OrderSource; created_ms: number; input_json: string }>(
        'SELECT source, created_ms, input_json FROM market_orders WHERE interval_id = ? ORDER BY created_ms, rowid',
      )
      .all(intervalId)
      .map((r) => ({
        intervalId,
        source: r.source,
        createdMs: r.created_ms,
        input: JSON.parse(r.input_json) as OrderInput,
      }));
  }

  preferences(): Map<string, unknown> {
    const rows = this.db
      .prepare<{ member_id: string; json: string }>(
        'SELECT member_id, json FROM market_preferences',
      )
      .all();
    return new Map(rows.map((r) => [r.member_id, JSON.parse(r.json) as unknown]));
  }

  setPreferences(memberId: string, preferences: unknown, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO market_preferences (member_id, json, updated_ms) VALUES (?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE SET json = excluded.json, updated_ms = excluded.updated_ms`,
      )
      .run(memberId, JSON.stringify(preferences), nowMs);
  }

  saveReadings(tsMs: number, readings: readonly BoundaryReading[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO market_meter_readings (ts_ms, member_id, import_wh, export_wh) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of readings) insert.run(tsMs, r.memberId, r.importWh, r.exportWh);
    });
  }

  readings(tsMs: number): BoundaryReading[] {
    return this.db
      .prepare<{ member_id: string; import_wh: number; export_wh: number }>(
        'SELECT member_id, import_wh, export_wh FROM market_meter_readings WHERE ts_ms = ?',
      )
      .all(tsMs)
      .map((r) => ({ memberId: r.member_id, importWh: r.import_wh, exportWh: r.export_wh }));
  }
}
