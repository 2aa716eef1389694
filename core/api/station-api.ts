// The one contract between the station and every UI or script. The renderer imports this
// file with `import type` only; both transports (Electron IPC, WebSocket) carry exactly
// these methods and events, validated on the station side by station-api-schema.ts.
import type { Role, SessionView, UserView } from './auth-roles';
import type { Site } from '../site/site-types';
import type { DeviceStatus, Snapshot } from '../points/snapshot';
import type {
  DeviceChangeResult,
  DeviceChanges,
  DeviceInput,
  DeviceTarget,
  PointWritePlan,
  PointWriteRequest,
  PointWriteResult,
  ProfileSummary,
  RegisterQuery,
  RegisterReading,
  ScanRequest,
  ScanStatus,
  SiteState,
  SunspecReading,
} from './commissioning-api';
import type {
  OpcuaBrowseRequest,
  OpcuaBrowseResult,
  OpcuaCertificate,
  OpcuaCertificateList,
  OpcuaReadRequest,
  OpcuaReadValue,
  OpcuaServerInfo,
  OpcuaTrustRequest,
  OpcuaWritePlan,
  OpcuaWriteRequest,
  OpcuaWriteResult,
} from './commissioning-opcua-api';

import type {
  ManualOrderRequest,
  MarketIntervalView,
  MarketState,
  MemberPreferencesInput,
  MemberPreferencesView,
} from './market-api';
import type { OrderInput } from '../market/order-types';
import type { Alarm, AlarmsView } from './alarms-api';
import type {
  ControlCommandRequest,
  ControlMode,
  ControlPreview,
  ControlView,
  ControlConfigPreview,
  SetConfigRequest,
  SetStrategiesRequest,
} from './control-api';
import type { Setpoint } from '../control/setpoint-types';
import type {
  AccountsView,
  AccountView,
  LedgerBlockView,
  LedgerEntryQuery,
  LedgerEntryView,
  LedgerSummary,
  LedgerVerifyResult,
  StatementFiles,
  StatementRequest,
  TopUpRequest,
} from './ledger-api';

export type * from './commissioning-api';
export type * from './market-api';
export type * from './ledger-api';
export type * from './alarms-api';
export type * from './control-api';
export type * from './commissioning-opcua-api';

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
  /** The register maps for devices without SunSpec, sorted by id. */
  'profiles.list': { params: Record<string, never>; result: ProfileSummary[] };
  /** The running site and the devices waiting for their first good read. */
  'site.state': { params: Record<string, never>; result: SiteState };
  /** Identifies the device (serial number), refuses duplicates, stores it disabled until its first good read. */
  'devices.add': { params: DeviceInput; result: DeviceChangeResult };
  'devices.update': { params: { id: string; changes: DeviceChanges }; result: DeviceChangeResult };
  'devices.remove': { params: { id: string }; result: { id: string } };
  /** Enabling starts polling; the device counts again after its first good read. */
  'devices.enable': { params: { id: string; enabled: boolean }; result: DeviceChangeResult };
  /** Starts probing unit ids on a link and answers at once; progress comes as `scan` events. */
  'scan.start': { params: ScanRequest; result: ScanStatus };
  'scan.cancel': { params: { scanId: string }; result: ScanStatus };
  'scan.get': { params: { scanId: string }; result: ScanStatus };
  /** Every SunSpec model of the unit, decoded. */
  'sunspec.read': { params: DeviceTarget; result: SunspecReading };
  'registers.read': { params: RegisterQuery; result: RegisterReading };
  /** Checks a write against the device (old value, register, words) without writing. */
  'sunspec.planWrite': { params: PointWriteRequest; result: PointWritePlan };
  /** Writes one scaled SunSpec point and reads it back; refuses bad points before sending. */
  'sunspec.write': { params: PointWriteRequest; result: PointWriteResult };
  /** What an OPC UA server offers and its certificate with the station's trust decision. */
  'opcua.endpoints': { params: { url: string }; result: OpcuaServerInfo };
  /** Trusts or rejects the certificate the server presents now, if it has the thumbprint seen. */
  'opcua.trust': { params: OpcuaTrustRequest; result: OpcuaCertificate };
  'opcua.certificates': { params: Record<string, never>; result: OpcuaCertificateList };
  /** The children of a node (default: the Objects folder). */
  'opcua.browse': { params: OpcuaBrowseRequest; result: OpcuaBrowseResult };
  'opcua.read': { params: OpcuaReadRequest; result: OpcuaReadValue[] };
  /** Checks a write (node, type, range, access) without writing. */
  'opcua.planWrite': { params: OpcuaWriteRequest; result: OpcuaWritePlan };
  /** Writes one variable and reads it back. */
  'opcua.write': { params: OpcuaWriteRequest; result: OpcuaWriteResult };
  /** The open interval with its indicative clearing, and the recent intervals. */
  'market.state': { params: Record<string, never>; result: MarketState };
  'market.interval': { params: { id: string }; result: MarketIntervalView };
  /** An operator's order for a member in the open interval; refused with its reason. */
  'market.submitOrder': { params: ManualOrderRequest; result: OrderInput };
  'market.cancelOrder': { params: { orderId: string }; result: { orderId: string } };
  /** Every member's agent preferences, defaults filled in. */
  'market.preferences': { params: Record<string, never>; result: MemberPreferencesView[] };
  'market.setPreferences': { params: MemberPreferencesInput; result: MemberPreferencesView };
  'ledger.summary': { params: Record<string, never>; result: LedgerSummary };
  /** Newest first. */
  'ledger.blocks': {
    params: { beforeHeight?: number; limit?: number };
    result: LedgerBlockView[];
  };
  /** Newest first, filtered by kind and member. */
  'ledger.entries': { params: LedgerEntryQuery; result: LedgerEntryView[] };
  /** Re-checks the whole ledger now (hashes, chain, blocks, signatures, balances). */
  'ledger.verify': { params: Record<string, never>; result: LedgerVerifyResult };
  'ledger.statement': { params: StatementRequest; result: StatementFiles };
  'accounts.list': { params: Record<string, never>; result: AccountsView };
  /** Credits a prepaid account (a ledger top-up entry). */
  'accounts.topUp': { params: TopUpRequest; result: AccountView };
  'control.state': { params: Record<string, never>; result: ControlView };
  /** auto: send setpoints; monitor: compute and show them only. Recorded in the ledger. */
  'control.setMode': { params: { mode: ControlMode }; result: ControlView };
  'control.setStrategies': { params: SetStrategiesRequest; result: ControlView };
  /** What a whole or partial config would change ("field: old → new"), or why it is refused. */
  'control.previewConfig': { params: SetConfigRequest; result: ControlConfigPreview };
  /** Applies and stores the parameters; refused (`invalid_config`, naming the field) unchanged. */
  'control.setConfig': { params: SetConfigRequest; result: ControlView };
  /** What a setpoint would do now, checked against the envelope, without doing it. */
  'control.preview': { params: { setpoint: Setpoint }; result: ControlPreview };
  /** An operator setpoint for a while; recorded in the ledger. */
  'control.command': { params: ControlCommandRequest; result: ControlView };
  'control.release': { params: { deviceId: string }; result: ControlView };
  'alarms.list': { params: Record<string, never>; result: AlarmsView };
  /** Every alarm ever raised, newest first. */
  'alarms.history': { params: { beforeId?: number; limit?: number }; result: Alarm[] };
  /** Records who acknowledged (also in the ledger). */
  'alarms.ack': { params: { id: number }; result: Alarm };
  /** Who is calling: user, role and what the role may do. */
  'auth.session': { params: Record<string, never>; result: SessionView };
  /** The caller's own password; the current one is asked again. Ends the caller's sessions. */
  'auth.changePassword': {
    params: { currentPassword: string; newPassword: string };
    result: { user: string };
  };
  'users.list': { params: Record<string, never>; result: UserView[] };
  'users.add': { params: { name: string; role: Role; password: string }; result: UserView };
  /** Ends the user's sessions; the last admin cannot lose the role. */
  'users.setRole': { params: { name: string; role: Role }; result: UserView };
  'users.setPassword': { params: { name: string; password: string }; result: UserView };
  'users.remove': { params: { name: string }; result: { name: string } };
}

export interface StationEvents {
  snapshot: Snapshot;
  /** After every change of the running site (including a device enabled by its first read). */
  site: SiteState;
  scan: ScanStatus;
  /** After an interval cleared or settled. */
  market: { intervalId: string; state: 'cleared' | 'settled' };
  /** After an alarm was raised, cleared or acknowledged: the navigation badge's count. */
  alarms: { count: number };
}

export type RequestMethod = keyof StationRequests;
export type EventName = keyof StationEvents;
export type ParamsOf<M extends RequestMethod> = StationRequests[M]['params'];
export type ResultOf<M extends RequestMethod> = StationRequests[M]['result'];

export type ApiErrorCode =
  | 'bad_request'
  | 'unknown_method'
  | 'not_found'
  | 'unavailable'
  | 'internal'
  /** The change would make the site invalid; the message names the field. */
  | 'invalid_site'
  /** Same device id, endpoint or serial number as a device of the site. */
  | 'duplicate'
  /** The link is busy with a scan. */
  | 'busy'
  /** The device names a register map (device profile) the station does not have. */
  | 'unknown_profile'
  /** The register map does not serve the device's role (a meter map cannot run a battery). */
  | 'profile_role'
  /** The device did not answer, refused the request or is not SunSpec. */
  | 'device_error'
  | 'unknown_point'
  | 'read_only'
  | 'out_of_range'
  /** The server's certificate is not trusted yet (or was rejected): see opcua.endpoints. */
  | 'certificate_untrusted'
  /** Expired, not yet valid or unusable, trusted or not. */
  | 'certificate_invalid'
  /** The server presents another certificate than the one the technician decided on. */
  | 'certificate_changed'
  /** The security mode, policy or login kind is not offered, obsolete or not allowed. */
  | 'security_refused'
  /** Wrong user or password, or the server does not trust the station's certificate. */
  | 'auth_failed'
  /** No session, or it expired: log in (HTTP 401). */
  | 'unauthenticated'
  /** The caller's role may not do this (HTTP 403). */
  | 'forbidden'
  /** A new password too short or too long. */
  | 'weak_password'
  /** An account of that name exists already. */
  | 'user_exists'
  /** The station must keep one admin. */
  | 'last_admin'
  /** A market order the rules refuse; the message starts with the reason code. */
  | 'order_rejected'
  /** Control parameters that are unsafe, inconsistent or outside the grid connection; the message starts with the field. */
  | 'invalid_config';

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

export type EventMessage = Extract<ServerMessage, { type: 'event' }>;

/** The station as a UI sees it; implemented by the renderer's client and by the station. */
export interface StationApi {
  request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Returns a disposer that ends the subscription. */
  subscribe<E extends EventName>(event: E, handler: (data: StationEvents[E]) => void): () => void;
}

/** Name of the object the Electron preload exposes on `window`. */
export const PRELOAD_GLOBAL = 'microgridStation';

/**
 * What the preload exposes: one request function, one event subscription and the window's
 * login (main keeps the session per window; the page never holds a token). Answers of
 * `auth` are checked by the renderer (renderer/api/auth-transport.ts).
 */
export interface PreloadBridge {
  request(message: ClientMessage): Promise<ServerMessage>;
  onEvent(handler: (message: ServerMessage) => void): () => void;
  auth: {
    session(): Promise<unknown>;
    setup(input: { user: string; password: string }): Promise<unknown>;
    login(input: { user: string; password: string }): Promise<unknown>;
    logout(): Promise<unknown>;
  };
}
