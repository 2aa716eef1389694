// The renderer's single door into core/: the types of the station contract, re-exported.
// Everything else in renderer/ imports these from here, never from core/ directly.

import type { PRELOAD_GLOBAL } from '../../core/api/station-api';
import type { SITE_POINT_DEVICE } from '../../core/points/point-names';

export type {
  ApiErrorBody,
  ApiErrorCode,
  ClientMessage,
  DeviceChangeResult,
  DeviceChanges,
  DeviceInput,
  EventName,
  FoundUnit,
  HealthInfo,
  HistoryQuery,
  HistorySample,
  HistorySeries,
  Alarm,
  AlarmsView,
  AccountsView,
  AccountView,
  LedgerBlockView,
  LedgerEntryView,
  LedgerSummary,
  LedgerVerifyResult,
  StatementFiles,
  TopUpMethod,
  ClearingResult,
  CurveStep,
  ManualOrderRequest,
  MarketIntervalSummary,
  MarketIntervalView,
  MarketState,
  MarketTariffs,
  MemberPosition,
  MemberPreferencesInput,
  MemberPreferencesView,
  OrderInput,
  Trade,
  OpcuaBrowsedNode,
  OpcuaBrowseResult,
  OpcuaCertificate,
  OpcuaConnection,
  OpcuaEndpointOffer,
  OpcuaJson,
  OpcuaReadValue,
  OpcuaServerInfo,
  OpcuaTarget,
  OpcuaWritePlan,
  OpcuaWriteResult,
  ParamsOf,
  PointWritePlan,
  PointWriteResult,
  PreloadBridge,
  ProfileSummary,
  RegisterFunction,
  RegisterReading,
  RequestMethod,
  ResultOf,
  ScanStatus,
  ServerMessage,
  SiteState,
  StationApi,
  StationEvents,
  SunspecModelPoints,
  SunspecPointValue,
  SunspecReading,
} from '../../core/api/station-api';
export type {
  DeviceIdentity,
  DeviceState,
  DeviceStatus,
  MemberFlow,
  SiteFlows,
  Snapshot,
} from '../../core/points/snapshot';
export type { PointName, SiteFlowPoint } from '../../core/points/point-names';
export type {
  DeviceConfig,
  DeviceRole,
  Member,
  OpcuaDeviceSettings,
  OpcuaSecurityMode,
  OpcuaSecurityPolicy,
  Site,
  Tariffs,
} from '../../core/site/site-types';

/** Name of the preload's global, as a literal type (the value is in preload-global.ts). */
export type PreloadGlobalName = typeof PRELOAD_GLOBAL;
/** Pseudo device under which site flows are stored (`site.pvW`). */
export type SitePointDevice = typeof SITE_POINT_DEVICE;
