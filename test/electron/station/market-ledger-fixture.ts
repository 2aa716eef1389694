// A market with its ledger on one real station.db, fed constant member powers: what the
// market-ledger tests drive through a day in milliseconds.
import { join } from 'node:path';
import { openLedger } from '../../../core/ledger/ledger-repository';
import type { GridState } from '../../../core/market/island-rules';
import { marketMigrations, MarketRepository } from '../../../core/market/market-repository';
import { MarketService } from '../../../core/market/market-service';
import { tariffsFromSite } from '../../../core/market/tariffs';
import type { Snapshot } from '../../../core/points/snapshot';
import type { Site } from '../../../core/site/site-types';
import { applyMigrations } from '../../../core/storage/migrations';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { loadOrCreateStationKey } from '../../../electron/station/ledger-keys';
import { recordClearing, recordSettlement } from '../../../electron/station/market-ledger';
import { stationMarketRules } from '../../../electron/station/market-rules';

export const T0 = Date.UTC(2026, 5, 21, 10, 0, 0);
export const MIN = 60_000;

/**
 * Each member's constant net power in W (> 0 import); members with a surplus have 3 kW PV.
 * Meter counters integrate from an hour before T0.
 */
export function snapshotAt(tsMs: number, netW: Readonly<Record<string, number>>): Snapshot {
  const hours = (tsMs - T0 + 60 * MIN) / 3_600_000;
  const point = (value: number) => ({ value, unit: 'Wh', tsMs, stale: false });
  const points: Snapshot['points'] = {};
  for (const [m, w] of Object.entries(netW)) {
    points[`meter-${m}.energyImportWh`] = point(Math.round(Math.max(w, 0) * hours));
    points[`meter-${m}.energyExportWh`] = point(Math.round(Math.max(-w, 0) * hours));
  }
  return {
    tsMs,
    points,
    devices: {},
    flows: { pvW: 3000, loadW: null, batteryW: null, gridW: null, socPct: null },
    members: Object.entries(netW).map(([memberId, w]) => ({
      memberId,
      netW: w,
      pvW: w < 0 ? 3000 : null,
    })),
  };
}

/** `site` with a household meter for each member in `netW`; the market records into the ledger. */
export function marketWithLedger(
  dir: string,
  site: Site,
  netW: Readonly<Record<string, number>>,
): {
  db: SqlDatabase;
  key: ReturnType<typeof loadOrCreateStationKey>;
  ledger: ReturnType<typeof openLedger>;
  repository: MarketRepository;
  market: MarketService;
  log: string[];
  run(fromMs: number, toMs: number): void;
  setGrid(state: GridState): void;
} {
  const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
  applyMigrations(db, marketMigrations);
  const key = loadOrCreateStationKey(dir);
  const ledger = openLedger(db, { signer: key.signer, nowMs: () => T0 });
  site.devices = Object.keys(netW).map((memberId, i) => ({
    id: `meter-${memberId}`,
    name: memberId,
    url: `modbus-tcp://127.0.0.1:1502?unit=${i + 1}`,
    role: 'household-meter' as const,
    memberId,
    pollIntervalMs: 1000,
    enabled: true,
  }));
  const tariffs = tariffsFromSite(site.tariffs);
  if (!tariffs.ok) throw new Error(tariffs.error.message);
  const repository = new MarketRepository(db);
  const log: string[] = [];
  let grid: GridState = 'grid-connected';
  const market = new MarketService({
    repository,
    site: () => site,
    rules: stationMarketRules,
    gridState: () => grid,
    onCleared: (i) =>
      recordClearing(ledger, i, repository.orders(i.id), tariffs.value, (l) => log.push(l)),
    onSettled: (i) => recordSettlement(ledger, i, i.settledAtMs ?? 0, (l) => log.push(l)),
  });
  return {
    db,
    key,
    ledger,
    repository,
    market,
    log,
    run(fromMs, toMs) {
      for (let ts = fromMs; ts <= toMs; ts += 10_000) {
        market.onSnapshot(snapshotAt(ts, netW));
        market.tick(ts);
      }
    },
    setGrid: (state) => void (grid = state),
  };
}
