// The one contract between the station and every UI or script. The renderer imports this
// file with `import type` only; both transports (Electron IPC, WebSocket) carry exactly
// these methods and events, validated on the station side by station-api-schema.ts.
import type { Site } from '../site/site-types';
import type { DeviceStatus, Snapshot } from '../points/snapshot';

export interface HealthInfo {
  status: 'ok' | 'degraded' | 'starting';
  version: string;
  startedAtMs: number;
  nowMs: number;
  siteId: string;
  siteName: string;
  demo: boolean;
  /** Simulated-time factor of the demo microgrid; 1 outside the demo. */
  speed: number;
  devices: { total: number; ok: number; degraded: number; offline: number };
  lastSnapshotMs: number | null;
}

export type HistoryResolution = 'raw' | '1m';

export interface HistoryQuery {
  /** Point id, e.g. `site.pvW` or `grid-meter.powerW`. */
  point: string;
  fromMs: number;
  toMs: number;
  /** `auto` picks raw (1 s) data while it is retained and the span is short, else 1 min. */
  resolution?: HistoryResolution | 'auto';
  /** Upper bound on returned samples; longer series are averaged into buckets. */
  maxPoints?: number;
}

export interface HistorySample {
  tsMs: number;
  /** Mean over the sample's bucket (the value itself for raw data). */
  value: number;
  min: number;
  max: number;
}

export interface HistorySeries {
  point: string;
  unit: string;
  resolution: HistoryResolution;
  /** Width of one sample's bucket in ms. */
  bucketMs: number;
  samples: HistorySample[];
}

export interface StationRequests {
  'station.health': { params: Record<string, never>; result: HealthInfo };
  'site.get': { params: Record<string, never>; result: Site };
  'snapshot.get': { params: Record<string, never>; result: Snapshot };
  'devices.list': { params: Record<string, never>; result: DeviceStatus[] };
  'history.get': { params: HistoryQuery; result: HistorySeries };
}

export interface StationEvents {
  snapshot: Snapshot;
}

export type RequestMethod = keyof StationRequests;
export type EventName = keyof StationEvents;
export type ParamsOf<M extends RequestMethod> = StationRequests[M]['params'];
export type ResultOf<M extends RequestMethod> = StationRequests[M]['result'];

export type ApiErrorCode =
  'bad_request' | 'unknown_method' | 'not_found' | 'unavailable' | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

/** What both transports carry. `id` pairs a response with its request. */
export type ClientMessage = { type: 'request'; id: number; method: string; params: unknown };

export type ServerMessage =
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: ApiErrorBody }
  | { type: 'event'; event: EventName; data: unknown };

/** The station as a UI sees it; implemented by the renderer's client and by the station. */
export interface StationApi {
  request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Returns a disposer that ends the subscription. */
  subscribe<E extends EventName>(event: E, handler: (data: StationEvents[E]) => void): () => void;
}

/** Name of the object the Electron preload exposes on `window`. */
export const PRELOAD_GLOBAL = 'microgridStation';

/** What the preload exposes: one request function and one event subscription, nothing else. */
export interface PreloadBridge {
  request(message: ClientMessage): Promise<ServerMessage>;
  onEvent(handler: (message: ServerMessage) => void): () => void;
}
