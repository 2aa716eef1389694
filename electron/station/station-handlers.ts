import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { HealthInfo, ProfileSummary } from '../../core/api/station-api';
import type { Snapshot } from '../../core/points/snapshot';
import type { Site } from '../../core/site/site-types';
import type { TelemetryStore } from '../../core/telemetry/telemetry-store';
import type { ProfileCatalog } from '../../drivers/profiles/profile-catalog';
import type { DeviceProfile } from '../../drivers/profiles/profile-types';
import type { MarketService } from '../../core/market/market-service';
import { commissioningHandlers, type CommissioningDeps } from './commissioning-handlers';
import type { AlarmService } from './alarm-service';
import type { ControlService } from './control-service';
import { controlHandlers } from './control-handlers';
import { authHandlers } from './auth-handlers';
import type { AuthService } from '../../core/auth/auth-service';
import { ledgerHandlers, type LedgerDeps } from './ledger-handlers';
import { marketHandlers } from './market-handlers';
import type { Clock } from './station-clock';

export interface HandlerDeps {
  site(): Site;
  snapshot(): Snapshot;
  telemetry: TelemetryStore;
  profiles: ProfileCatalog;
  clock: Clock;
  health: { startedAtMs: number; version: string; demo: boolean; speed: number };
  commissioning: CommissioningDeps;
  market: MarketService | null;
  ledger: Omit<LedgerDeps, 'site' | 'clock'>;
  alarms: AlarmService;
  control: ControlService;
  auth: AuthService;
}

const MAX_HISTORY_SPAN_MS = 400 * 24 * 3600_000;

export function buildHandlers(deps: HandlerDeps): RequestHandlers {
  return {
    'station.health': () => health(deps),
    'site.get': () => deps.site(),
    'snapshot.get': () => deps.snapshot(),
    'devices.list': () => Object.values(deps.snapshot().devices),
    'history.get': (query) => {
      if (query.toMs - query.fromMs > MAX_HISTORY_SPAN_MS)
        throw new ApiError('bad_request', 'history span is limited to 400 days');
      return deps.telemetry.history(query, deps.clock.nowMs());
    },
    'profiles.list': () => deps.profiles.list().map(summary),
    ...commissioningHandlers(deps.commissioning),
    ...marketHandlers(deps.market, deps.clock),
    ...ledgerHandlers({ ...deps.ledger, site: deps.site, clock: deps.clock }),
    ...controlHandlers(deps.control, deps.site, deps.clock),
    ...authHandlers(deps.auth),
    'alarms.list': () => deps.alarms.list(),
    'alarms.history': ({ beforeId, limit }) => deps.alarms.history(beforeId, limit ?? 100),
    'alarms.ack': ({ id }) => {
      const alarm = deps.alarms.acknowledge(id, deps.clock.nowMs());
      if (!alarm) throw new ApiError('not_found', `no unacknowledged alarm ${id}`);
      return alarm;
    },
  };
}

function summary(profile: DeviceProfile): ProfileSummary {
  return {
    id: profile.id,
    manufacturer: profile.manufacturer,
    model: profile.model,
    description: profile.description,
    roles: [...profile.roles],
    defaultUnitId: profile.defaults.unitId,
  };
}

function health(deps: HandlerDeps): HealthInfo {
  const snapshot = deps.snapshot();
  const states = Object.values(snapshot.devices).map((d) => d.state);
  const count = (state: string): number => states.filter((s) => s === state).length;
  const devices = {
    total: states.length,
    ok: count('ok'),
    degraded: count('degraded'),
    offline: count('offline'),
  };
  const status =
    devices.offline > 0 || devices.degraded > 0
      ? 'degraded'
      : count('connecting') > 0
        ? 'starting'
        : 'ok';
  const site = deps.site();
  return {
    status,
    version: deps.health.version,
    startedAtMs: deps.health.startedAtMs,
    nowMs: deps.clock.nowMs(),
    siteId: site.id,
    siteName: site.name,
    demo: deps.health.demo,
    speed: deps.health.speed,
    devices,
    lastSnapshotMs: snapshot.tsMs,
  };
}
