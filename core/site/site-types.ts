// The site model: who is on the microgrid, which devices measure and steer it, and the
// commercial frame (tariffs, market interval). Pure data; validated by site-schema.ts.

export const SITE_SCHEMA_VERSION = 1;

export const DEVICE_ROLES = [
  'grid-meter',
  'pv-inverter',
  'battery',
  'household-meter',
  'switchable-load',
] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export const MEMBER_KINDS = ['household', 'community'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export const MARKET_INTERVALS_MIN = [5, 15, 60] as const;
export type MarketIntervalMin = (typeof MARKET_INTERVALS_MIN)[number];

export interface Member {
  id: string;
  name: string;
  kind: MemberKind;
  feederId: string;
  /** Critical members (medical equipment, shelters) are shed last and never disconnected. */
  critical: boolean;
  prepaid: boolean;
}

export interface Feeder {
  id: string;
  name: string;
  /** Feeder this one hangs off; null for the feeder at the grid connection. */
  parentId: string | null;
  /** Capacity of the link to the parent feeder in Wh per market interval; null = unlimited. */
  linkCapacityWh: number | null;
}

export interface DeviceConfig {
  id: string;
  name: string;
  /** Endpoint URL, e.g. `modbus-tcp://127.0.0.1:1502?unit=3` (see device-url.ts). */
  url: string;
  role: DeviceRole;
  /** Member the device belongs to; null for community assets without an owner. */
  memberId: string | null;
  pollIntervalMs: number;
  enabled: boolean;
  /**
   * Device profile id (a file in resources/profiles/) for devices without SunSpec; absent
   * means the station discovers the device's SunSpec models.
   */
  profile?: string;
  /** How to read an `opc.tcp://` device; a device without it cannot be polled over OPC UA. */
  opcua?: OpcuaDeviceSettings;
}

export const OPCUA_SECURITY_MODES = ['none', 'sign', 'sign-encrypt'] as const;
export type OpcuaSecurityMode = (typeof OPCUA_SECURITY_MODES)[number];

/** The current policies; obsolete ones (Basic128Rsa15, Basic256) are refused by the schema. */
export const OPCUA_SECURITY_POLICIES = [
  'None',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;
export type OpcuaSecurityPolicy = (typeof OPCUA_SECURITY_POLICIES)[number];

/**
 * An OPC UA device's connection and its node → canonical point mapping. Devices on the same
 * server (URL, security and user) share one session and one subscription. The password is
 * never in the site file: it lives in the data directory (secrets/opcua/<deviceId>.json).
 */
export interface OpcuaDeviceSettings {
  securityMode: OpcuaSecurityMode;
  /** Default Basic256Sha256 with sign/sign-encrypt; "None" only with securityMode none. */
  securityPolicy?: OpcuaSecurityPolicy;
  /** Must be true for securityMode none: unsigned clear text, the UI marks such devices. */
  allowInsecure?: boolean;
  /** User name for username/password login; absent: anonymous. */
  username?: string;
  /** How often the server samples each node; default the device's pollIntervalMs. */
  samplingIntervalMs?: number;
  /** How often the server sends changes; default the device's pollIntervalMs. */
  publishingIntervalMs?: number;
  points: OpcuaPointMapping[];
}

export interface OpcuaPointMapping {
  /** Canonical point name (core/points/point-names.ts), e.g. `powerW`. */
  point: string;
  /** Text form: `ns=2;s=Battery.PowerW`, `i=2258`, `nsu=urn:vendor;s=Tag`. */
  nodeId: string;
  /** Multiplier from the node's unit to the point's unit (kW → W: 1000). */
  scale?: number;
  /** Negates the value, for a device whose sign convention differs from the station's. */
  invert?: boolean;
  /** Absolute deadband in the node's own unit (before scale): smaller changes are not sent. */
  deadband?: number;
}

/**
 * Prices are in minor currency units (e.g. cents) per kWh and may carry up to four
 * decimals (8.25 ct/kWh); amounts of money computed from them are rounded to integer
 * minor units where they are booked.
 */
export interface Tariffs {
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  /** Digits of the minor unit (2 for EUR: 1 EUR = 100 minor units). */
  minorUnitDigits: number;
  /** What the utility pays for exported energy: the floor of local prices. */
  feedInMinorPerKWh: number;
  /** What the utility charges for imported energy: the ceiling of local prices. */
  retailMinorPerKWh: number;
  /** Network charge on each locally traded kWh. */
  gridFeeMinorPerKWh: number;
}

export const MARKET_MECHANISMS = ['pay-as-clear', 'pay-as-bid'] as const;
export type MarketMechanism = (typeof MARKET_MECHANISMS)[number];

export interface MarketSettings {
  intervalMinutes: MarketIntervalMin;
  /** How each interval clears; default pay-as-clear (one uniform price per zone). */
  mechanism?: MarketMechanism;
  /** Orders close this many minutes before delivery starts; default 1. */
  gateClosureMinutes?: number;
  /**
   * Price of deviations between traded and metered energy, minor units per kWh; default:
   * retail for energy short, feed-in for energy long (the utility's tariffs).
   */
  imbalance?: { shortMinorPerKWh: number; longMinorPerKWh: number };
  /** How the market clears while the microgrid runs as an island (no utility); optional. */
  island?: IslandMarketSettings;
}

export const ISLAND_RULES = ['fair-share', 'scarcity-price'] as const;
export type IslandRule = (typeof ISLAND_RULES)[number];

/**
 * Island rules of the market. Prices here are integer micro-currency per kWh (0.201 EUR/kWh
 * = 201000), not minor units: the island price is an administered price, and integers keep
 * it exact whatever the currency's minor digits.
 */
export interface IslandMarketSettings {
  /** `fair-share` (default): fixed price, energy rationed; `scarcity-price`: price rises with the shortage. */
  rule?: IslandRule;
  /** What sellers receive per kWh in an island; default the midpoint of feed-in and retail. */
  priceMicroPerKWh?: number;
  /** Highest scarcity price; default 3 × retail. Must not be below the island price. */
  scarcityCapMicroPerKWh?: number;
}

/** Prepaid accounts: when to warn, and when the control layer may disconnect a member. */
export interface AccountSettings {
  /** Prepaid members below this balance (minor units) are warned; default 500. */
  lowBalanceMinor?: number;
  disconnect?: {
    /** Default true. */
    enabled?: boolean;
    /** Disconnect only below this balance (minor units); default 0: only when negative. */
    minBalanceMinor?: number;
    /** Local night window in minutes after midnight (default 18:00–07:00). */
    night?: { startMinute: number; endMinute: number };
    /** Default false: nobody is disconnected at night. */
    allowAtNight?: boolean;
  };
}

export interface GridConnection {
  /** Largest allowed import at the connection point in W. */
  importLimitW: number;
  /** Largest allowed export at the connection point in W (utility rule). */
  exportLimitW: number;
}

export interface Site {
  schemaVersion: typeof SITE_SCHEMA_VERSION;
  id: string;
  name: string;
  /** IANA time zone of the site, used to show local time. */
  timezone: string;
  location: { latitudeDeg: number; longitudeDeg: number } | null;
  tariffs: Tariffs;
  market: MarketSettings;
  accounts?: AccountSettings;
  grid: GridConnection;
  feeders: Feeder[];
  members: Member[];
  devices: DeviceConfig[];
}
