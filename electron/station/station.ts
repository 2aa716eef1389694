// The station as a plain Node module: storage + site + device pollers + snapshot cycle +
// telemetry, with the API handlers both hosts (Electron IPC, HTTP/WebSocket) expose.
import { join } from 'node:path';
import {
  createDispatcher,
  STATION_CALLER,
  type Caller,
  type RequestHandlers,
} from '../../core/api/dispatcher';
import { AuthService } from '../../core/auth/auth-service';
import { UserRepository, userMigrations } from '../../core/auth/user-repository';
import { recordAuthEvent } from './auth-ledger';
import { runAsCaller } from './caller-context';
import type { EventMessage, ServerMessage } from '../../core/api/station-api';
import { SnapshotBuilder } from '../../core/points/snapshot-builder';
import type { Snapshot } from '../../core/points/snapshot';
import { SiteRepository, siteMigrations, type SiteSource } from '../../core/site/site-repository';
import type { DeviceConfig, Site } from '../../core/site/site-types';
import { applyMigrations } from '../../core/storage/migrations';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { TelemetryStore, telemetryMigrations } from '../../core/telemetry/telemetry-store';
import type { DevicePoller } from '../../core/points/device-poller';
import { deviceAtEndpoint } from '../../core/site/site-edit';
import type { ProfileCatalog } from '../../drivers/profiles/profile-catalog';
import { DeviceManager } from './commissioning-devices';
import { openLedger, type LedgerHead } from '../../core/ledger/ledger-repository';
import { marketMigrations, MarketRepository } from '../../core/market/market-repository';
import { tariffsFromSite } from '../../core/market/tariffs';
import { loadOrCreateStationKey, type KeyProtection } from './ledger-keys';
import { AlarmService } from './alarm-service';
import { ControlService } from './control-service';
import { hashSite, recordSiteChange } from './site-ledger';
import { alarmMigrations } from '../../core/alarms/alarm-repository';
import {
  ControlSettingsRepository,
  controlSettingsMigrations,
} from '../../core/control/control-settings-repository';
import { recordClearing, recordSettlement } from './market-ledger';
import { MarketService, type MarketRules } from '../../core/market/market-service';
import type { OpcuaTools } from './commissioning-opcua';
import type { CommissioningTools } from './commissioning-port';
import { ScanRegistry } from './commissioning-scans';
import { buildHandlers } from './station-handlers';
import { systemClock, type Clock } from './station-clock';
import { TelemetryRecorder } from './telemetry-recorder';
import { guard, startStationCycle, withoutRemovedDevices } from './station-cycle';

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
  /** The device profiles devices may name (resources/profiles/ in runtime.ts). */
  profiles: ProfileCatalog;
  /** Scan, identify, read and write tools on the pollers' links (see runtime.ts). */
  commissioning?: CommissioningTools;
  /** OPC UA endpoints, trust, browse, read and write; and the device passwords. */
  opcua?: OpcuaTools;
  /** Forecasts, member agents and settlement of the local market; absent: no market. */
  marketRules?: MarketRules;
  /** Wraps the ledger signing key with the OS key store (Electron safeStorage). */
  ledgerKeyProtection?: KeyProtection;
}

export interface Station {
  /** The running site; devices may be added, changed and removed while it runs. */
  readonly site: Site;
  readonly demo: boolean;
  /** A request made inside this process (tests, in-process tools): acts as the station. */
  dispatch(raw: unknown): Promise<ServerMessage>;
  /** A request from a host (HTTP/WebSocket, IPC) on behalf of its caller; authorized per method. */
  dispatchAs(caller: Caller, raw: unknown): Promise<ServerMessage>;
  /** Accounts, logins and sessions, for the hosts' login, logout and first-run routes. */
  readonly auth: AuthService;
  onSnapshot(handler: (snapshot: Snapshot) => void): () => void;
  /** Every pushed event except snapshots (`site`, `scan`), for the hosts to forward. */
  onEvent(handler: (message: EventMessage) => void): () => void;
  nowMs(): number;
  /** The ledger's last block and acknowledged entries, for GET /api/ledger/head. */
  ledgerHead(): LedgerHead;
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
    applyMigrations(stationDb, marketMigrations);
    applyMigrations(stationDb, alarmMigrations);
    applyMigrations(stationDb, userMigrations);
    applyMigrations(stationDb, controlSettingsMigrations);
    const stationKey = loadOrCreateStationKey(options.dataDir, options.ledgerKeyProtection);
    const ledger = openLedger(stationDb, {
      signer: stationKey.signer,
      nowMs: () => clock.nowMs(),
    });
    const telemetryDb = openSqlite(join(options.dataDir, 'telemetry.db'), {
      synchronous: 'normal',
      nativeBinding: options.sqliteNativeBinding,
    });
    databases.push(telemetryDb);
    applyMigrations(telemetryDb, telemetryMigrations);

    const repository = new SiteRepository(stationDb);
    const { site: storedSite, source } = chooseSite(repository, options, startedAtMs);
    let site = storedSite;
    let speed = 1;
    if (source === 'demo' && options.demo) {
      const running = await options.demo.start(storedSite);
      stops.push(() => running.stop());
      site = running.site;
      speed = running.speed;
    }

    const builder = new SnapshotBuilder(site);
    let siteHash = hashSite(site);
    const telemetry = new TelemetryStore(telemetryDb);
    const recorder = new TelemetryRecorder(telemetry, log);
    const eventListeners = new Set<(message: EventMessage) => void>();
    const emit = (message: EventMessage): void => {
      for (const listener of eventListeners) listener(message);
    };
    const tools = options.commissioning ?? null;
    const devices = new DeviceManager({
      site,
      // The demo's devices live on ports chosen at start: its changes are for this run only.
      persist: source === 'file' ? (next) => repository.save(next, 'file', clock.nowMs()) : null,
      createPoller: options.createPoller,
      refuseProfile: (profile, role) => {
        const found = options.profiles.forRole(profile, role);
        if (found.ok) return null;
        const code = found.error.code === 'profile_role' ? 'profile_role' : 'unknown_profile';
        return { code, message: found.error.message };
      },
      identify: tools ? (url) => tools.identify(url) : null,
      opcua: options.opcua ?? null,
      clock,
      onReading: (reading) => builder.record(reading),
      onStatus: (status) => builder.setStatus(status),
      onSite: (next) => {
        builder.setSite(next);
        recordSiteChange(ledger, siteHash, next, clock.nowMs(), log);
        siteHash = hashSite(next);
      },
      onState: (state) => emit({ type: 'event', event: 'site', data: state }),
    });
    devices.start();
    stops.push(() => devices.stop());
    const scans = tools
      ? new ScanRegistry({
          tools,
          clock,
          emit: (status) => emit({ type: 'event', event: 'scan', data: status }),
          existingDevice: (unit) =>
            deviceAtEndpoint(devices.site, unit.url)?.id ??
            devices.deviceWithSerial(unit.identity?.serialNumber ?? null),
        })
      : null;
    if (scans) stops.push(() => scans.stop());

    const marketRepository = new MarketRepository(stationDb);
    const market = options.marketRules
      ? new MarketService({
          repository: marketRepository,
          site: () => devices.site,
          rules: options.marketRules,
          // `control` is declared below; the market first asks at a tick or a request, when
          // it exists. Any island phase (islanded, reconnect-wait, restoring) is an island.
          gridState: () =>
            control.view().islandPhase === 'grid-connected' ? 'grid-connected' : 'island',
          onCleared: (interval) => {
            const tariffs = tariffsFromSite(devices.site.tariffs);
            if (tariffs.ok)
              recordClearing(
                ledger,
                interval,
                marketRepository.orders(interval.id),
                tariffs.value,
                log,
              );
            emit({
              type: 'event',
              event: 'market',
              data: { intervalId: interval.id, state: 'cleared' },
            });
          },
          onSettled: (interval) => {
            recordSettlement(ledger, interval, clock.nowMs(), log);
            emit({
              type: 'event',
              event: 'market',
              data: { intervalId: interval.id, state: 'settled' },
            });
          },
        })
      : null;

    const alarms = new AlarmService({
      db: stationDb,
      ledger,
      site: () => devices.site,
      onCount: (count) => emit({ type: 'event', event: 'alarms', data: { count } }),
      log,
    });

    const control = new ControlService({
      site: () => devices.site,
      apply: (deviceId, setpoint) => devices.apply(deviceId, setpoint),
      ledger,
      mode: source === 'demo' ? 'auto' : 'monitor',
      // The demo always starts in auto; a site's stored auto may resume (control-start.ts).
      resumeMode: source !== 'demo',
      settings: new ControlSettingsRepository(stationDb),
      log,
      monotonicMs: () => performance.now(),
      nowMs: () => clock.nowMs(),
    });

    const listeners = new Set<(snapshot: Snapshot) => void>();
    let latest: Snapshot | null = null;
    let stopped = false;
    const stopCycle = startStationCycle({
      cycleMs: options.snapshotIntervalMs ?? 1000,
      clock,
      settle: (deadlineMs) => devices.settle(deadlineMs),
      log,
      step: () => {
        const snapshot = withoutRemovedDevices(builder.build(clock.nowMs()), devices.site);
        latest = snapshot;
        recorder.record(snapshot);
        // Each part fails alone: devices revert on their own if control stops writing.
        if (market)
          guard('market', log, () => {
            market.onSnapshot(snapshot);
            market.tick(clock.nowMs());
          });
        guard('control', log, () => control.onSnapshot(snapshot));
        alarms.setExtra(control.conditions(clock.nowMs()));
        guard('alarms', log, () => alarms.onSnapshot(snapshot, clock.nowMs()));
        for (const listener of listeners) listener(snapshot);
      },
    });
    stops.push(stopCycle);

    const auth = new AuthService({
      users: new UserRepository(stationDb),
      nowMs: () => clock.nowMs(),
      audit: (event) => recordAuthEvent(ledger, event, log),
    });

    const handlers: RequestHandlers = buildHandlers({
      site: () => devices.site,
      snapshot: () => withoutRemovedDevices(latest ?? builder.build(clock.nowMs()), devices.site),
      telemetry,
      profiles: options.profiles,
      clock,
      health: { startedAtMs, version: options.version ?? '0.0.0', demo: source === 'demo', speed },
      commissioning: { devices, tools, scans, opcua: options.opcua ?? null },
      market,
      ledger: {
        ledger,
        db: stationDb,
        publicKey: stationKey.publicKey,
        onVerified: (problem) => alarms.setLedgerProblem(problem),
      },
      alarms,
      control,
      auth,
    });
    const dispatcher = createDispatcher(handlers, (error, method) =>
      log(`error in ${method}: ${String(error)}`),
    );
    // The caller travels with the request (caller-context.ts): whatever the handler records
    // in the ledger names who asked.
    const dispatchAs = (caller: Caller, raw: unknown): Promise<ServerMessage> =>
      runAsCaller(caller, () => dispatcher(raw, caller));

    return {
      get site() {
        return devices.site;
      },
      demo: source === 'demo',
      dispatch: (raw) => dispatchAs(STATION_CALLER, raw),
      dispatchAs,
      auth,
      onSnapshot(handler) {
        listeners.add(handler);
        return () => listeners.delete(handler);
      },
      onEvent(handler) {
        eventListeners.add(handler);
        return () => eventListeners.delete(handler);
      },
      nowMs: () => clock.nowMs(),
      ledgerHead: () => ledger.head(),
      async stop() {
        if (stopped) return;
        stopped = true;
        listeners.clear();
        eventListeners.clear();
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
