// The station as a plain Node module: storage + site + device pollers + snapshot cycle +
// telemetry, with the API handlers both hosts (Electron IPC, HTTP/WebSocket) expose.
import { join } from 'node:path';
import { createDispatcher, type RequestHandlers } from '../../core/api/dispatcher';
import type { ServerMessage } from '../../core/api/station-api';
import { SnapshotBuilder } from '../../core/points/snapshot-builder';
import type { Snapshot } from '../../core/points/snapshot';
import { SiteRepository, siteMigrations, type SiteSource } from '../../core/site/site-repository';
import type { DeviceConfig, Site } from '../../core/site/site-types';
import { applyMigrations } from '../../core/storage/migrations';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { TelemetryStore, telemetryMigrations } from '../../core/telemetry/telemetry-store';
import type { DevicePoller } from '../../core/points/device-poller';
import { startPollLoop } from './poll-loop';
import { buildHandlers } from './station-handlers';
import { systemClock, type Clock } from './station-clock';
import { TelemetryRecorder } from './telemetry-recorder';

export interface StationOptions {
  dataDir: string;
  /** A site to import and run; without it the stored site runs, or the demo if none. */
  site?: Site;
  /** The demo site and a starter for its simulated devices (see runtime.ts). */
  demo?: {
    site: Site;
    start(site: Site): Promise<{ site: Site; speed: number; stop(): Promise<void> }>;
  };
  createPoller(device: DeviceConfig): DevicePoller;
  clock?: Clock;
  snapshotIntervalMs?: number;
  log?: (line: string) => void;
  version?: string;
  /** better-sqlite3 binary for Electron's ABI (see sqlite-adapter.ts). */
  sqliteNativeBinding?: string;
  /** Run the demo even if a site file was imported before. */
  forceDemo?: boolean;
  /** Called last when the station stops, after the pollers (e.g. to close shared links). */
  onStop?: () => Promise<void>;
}

export interface Station {
  readonly site: Site;
  readonly demo: boolean;
  dispatch(raw: unknown): Promise<ServerMessage>;
  onSnapshot(handler: (snapshot: Snapshot) => void): () => void;
  nowMs(): number;
  stop(): Promise<void>;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const startedAtMs = clock.nowMs();
  const databases: SqlDatabase[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  try {
    const stationDb = openSqlite(join(options.dataDir, 'station.db'), {
      synchronous: 'full',
      nativeBinding: options.sqliteNativeBinding,
    });
    databases.push(stationDb);
    if (options.onStop) stops.push(options.onStop);
    applyMigrations(stationDb, siteMigrations);
    const telemetryDb = openSqlite(join(options.dataDir, 'telemetry.db'), {
      synchronous: 'normal',
      nativeBinding: options.sqliteNativeBinding,
    });
    databases.push(telemetryDb);
    applyMigrations(telemetryDb, telemetryMigrations);

    const { site: storedSite, source } = chooseSite(
      new SiteRepository(stationDb),
      options,
      startedAtMs,
    );
    let site = storedSite;
    let speed = 1;
    if (source === 'demo' && options.demo) {
      const running = await options.demo.start(storedSite);
      stops.push(() => running.stop());
      site = running.site;
      speed = running.speed;
    }

    const builder = new SnapshotBuilder(site);
    const telemetry = new TelemetryStore(telemetryDb);
    const recorder = new TelemetryRecorder(telemetry, log);
    const loops = site.devices
      .filter((d) => d.enabled)
      .map((d) =>
        startPollLoop(
          options.createPoller(d),
          d.pollIntervalMs,
          clock,
          (reading) => builder.record(reading),
          (status) => builder.setStatus(status),
        ),
      );
    stops.push(() => Promise.all(loops.map((l) => l.stop())).then(() => undefined));

    const listeners = new Set<(snapshot: Snapshot) => void>();
    let latest: Snapshot | null = null;
    let stopped = false;
    const snapshotTimer = setInterval(() => {
      const snapshot = builder.build(clock.nowMs());
      latest = snapshot;
      recorder.record(snapshot);
      for (const listener of listeners) listener(snapshot);
    }, options.snapshotIntervalMs ?? 1000);
    stops.push(() => clearInterval(snapshotTimer));

    const handlers: RequestHandlers = buildHandlers({
      site: () => site,
      snapshot: () => latest ?? builder.build(clock.nowMs()),
      telemetry,
      clock,
      health: { startedAtMs, version: options.version ?? '0.0.0', demo: source === 'demo', speed },
    });
    const dispatch = createDispatcher(handlers, (error, method) =>
      log(`error in ${method}: ${String(error)}`),
    );

    return {
      site,
      demo: source === 'demo',
      dispatch,
      onSnapshot(handler) {
        listeners.add(handler);
        return () => listeners.delete(handler);
      },
      nowMs: () => clock.nowMs(),
      async stop() {
        if (stopped) return;
        stopped = true;
        listeners.clear();
        for (const stop of stops.reverse()) await stop();
        databases.forEach((db) => db.close());
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    databases.forEach((db) => db.close());
    throw error;
  }
}

function chooseSite(
  repo: SiteRepository,
  options: StationOptions,
  nowMs: number,
): { site: Site; source: SiteSource } {
  if (options.site) {
    repo.save(options.site, 'file', nowMs);
    return { site: options.site, source: 'file' };
  }
  const stored = repo.load();
  if (stored?.source === 'file' && !options.forceDemo) return stored;
  if (!options.demo)
    throw new Error('no site configured: import one with `microgrid site import FILE`');
  // An imported site stays stored while the demo runs instead of it (`serve --demo`).
  if (stored?.source !== 'file') repo.save(options.demo.site, 'demo', nowMs);
  return { site: options.demo.site, source: 'demo' };
}
