// Reactive view of the station shared by all pages: connection, site, health and the
// latest snapshot with the local time it arrived (for liveness).
import { getContext, setContext } from 'svelte';
import type { HealthInfo, ProfileSummary, Site, SiteState, Snapshot } from '../api/contract';
import { isApiError, type ClientErrorCode } from '../api/api-error';
import type { StationClient } from '../api/station-client';
import type { ConnectionState } from '../api/transport';
import { isLive, stationNowMs } from './liveness';

const RETRY_LOAD_MS = 3_000;
const CONTEXT_KEY = Symbol('station');

export class Station {
  connection = $state<ConnectionState>('connecting');
  site = $state.raw<Site | null>(null);
  /** Devices stored disabled until their first good read enables them. */
  verifyingIds = $state.raw<readonly string[]>([]);
  /** False while the demo runs: device changes last until the station stops. */
  sitePersistent = $state(true);
  health = $state.raw<HealthInfo | null>(null);
  /** Register maps for devices without SunSpec; shipped with the station, so loaded once. */
  profiles = $state.raw<readonly ProfileSummary[]>([]);
  snapshot = $state.raw<Snapshot | null>(null);
  /** Local clock when `snapshot` arrived. */
  receivedAtMs = $state<number | null>(null);
  /** Ticks every second so ages and liveness update without new data. */
  nowMs = $state(Date.now());
  siteError = $state<ClientErrorCode | null>(null);
  /** Active or unacknowledged alarms, for the navigation badge. */
  alarmCount = $state(0);

  readonly api: StationClient;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: StationClient) {
    this.api = api;
    this.connection = api.state;
  }

  get live(): boolean {
    return isLive({
      connection: this.connection,
      receivedAtMs: this.receivedAtMs,
      nowMs: this.nowMs,
    });
  }

  /** Best estimate of the station's clock, for "last read n seconds ago". */
  get stationNowMs(): number {
    if (!this.snapshot || this.receivedAtMs === null) return this.nowMs;
    return stationNowMs(this.snapshot.tsMs, this.receivedAtMs, this.nowMs);
  }

  /** IANA zone of the site; until the site is loaded, the PC's own zone. */
  get timeZone(): string | undefined {
    return this.site?.timezone;
  }

  /** Starts listening; returns the function that stops everything again. */
  start(): () => void {
    // The link may have opened (or dropped) while nobody was listening: before a login.
    this.connection = this.api.state;
    const stops = [
      this.api.subscribe('snapshot', (snapshot) => this.#accept(snapshot)),
      this.api.subscribe('site', (state) => this.acceptSite(state)),
      this.api.subscribe('alarms', ({ count }) => (this.alarmCount = count)),
      this.api.onStateChange((state) => {
        this.connection = state;
        if (state === 'open') void this.#load();
      }),
    ];
    const tick = setInterval(() => (this.nowMs = Date.now()), 1_000);
    // Over WebSocket the first 'open' triggers the load; IPC is open from the start.
    if (this.api.state === 'open') void this.#load();
    return () => {
      for (const stop of stops) stop();
      clearInterval(tick);
      if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    };
  }

  /** A site state from an event or from the answer to a change the UI made. */
  acceptSite(state: SiteState): void {
    this.site = state.site;
    this.verifyingIds = state.verifyingIds;
    this.sitePersistent = state.persistent;
    this.siteError = null;
  }

  #accept(snapshot: Snapshot): void {
    // An older snapshot (e.g. the answer to snapshot.get racing a push) must not win.
    if (this.snapshot && snapshot.tsMs < this.snapshot.tsMs) return;
    this.snapshot = snapshot;
    this.receivedAtMs = Date.now();
    this.nowMs = this.receivedAtMs;
  }

  async #load(): Promise<void> {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const [site, health, snapshot, profiles, alarms] = await Promise.allSettled([
      this.api.request('site.state', {}),
      this.api.request('station.health', {}),
      this.api.request('snapshot.get', {}),
      this.profiles.length > 0
        ? Promise.resolve(this.profiles)
        : this.api.request('profiles.list', {}),
      this.api.request('alarms.list', {}),
    ]);
    if (alarms.status === 'fulfilled') this.alarmCount = alarms.value.count;
    if (profiles.status === 'fulfilled') this.profiles = profiles.value;
    if (site.status === 'fulfilled') {
      this.acceptSite(site.value);
    } else {
      this.siteError = isApiError(site.reason) ? site.reason.code : 'internal';
    }
    if (health.status === 'fulfilled') this.health = health.value;
    if (snapshot.status === 'fulfilled') this.#accept(snapshot.value);
    // A station that is still starting answers `unavailable`; ask again shortly. A
    // dropped link needs no timer: reconnecting calls #load again.
    if (site.status === 'rejected' && this.api.state === 'open') {
      this.#retryTimer = setTimeout(() => void this.#load(), RETRY_LOAD_MS);
    }
  }
}

export function provideStation(station: Station): void {
  setContext(CONTEXT_KEY, station);
}

export function useStation(): Station {
  const station = getContext<Station | undefined>(CONTEXT_KEY);
  if (!station) throw new Error('useStation() called outside <App>');
  return station;
}
