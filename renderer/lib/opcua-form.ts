// The OPC UA part of the add-device flow as plain data: which security choices a server's
// offers allow (current policies only, security none only with an explicit opt-in), the
// connection the station is asked to use, and the device's opcua section from the points a
// technician mapped. The station validates everything again.
import type {
  OpcuaConnection,
  OpcuaDeviceSettings,
  OpcuaEndpointOffer,
  OpcuaSecurityMode,
  OpcuaSecurityPolicy,
  PointName,
} from '../api/contract';

export interface SecurityChoice {
  /** `sign-encrypt/Basic256Sha256`, `none/None`: the select's value. */
  key: string;
  mode: OpcuaSecurityMode;
  policy: OpcuaSecurityPolicy;
  /** Security none: unsigned clear text. The UI marks it and asks for an opt-in. */
  insecure: boolean;
  userTokens: OpcuaEndpointOffer['userTokens'];
}

const CURRENT: readonly string[] = [
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
  'None',
];
const MODE_RANK: Record<OpcuaSecurityMode, number> = { 'sign-encrypt': 0, sign: 1, none: 2 };

/** The offers the station can use, strongest first (sign-encrypt before sign before none). */
export function securityChoices(offers: readonly OpcuaEndpointOffer[]): SecurityChoice[] {
  const choices = new Map<string, SecurityChoice>();
  for (const offer of offers) {
    if (offer.securityMode === null || offer.obsolete) continue;
    if (!CURRENT.includes(offer.securityPolicy)) continue;
    const policy = offer.securityPolicy as OpcuaSecurityPolicy;
    const key = `${offer.securityMode}/${policy}`;
    const known = choices.get(key);
    const userTokens = [...new Set([...(known?.userTokens ?? []), ...offer.userTokens])];
    choices.set(key, {
      key,
      mode: offer.securityMode,
      policy,
      insecure: offer.securityMode === 'none',
      userTokens,
    });
  }
  return [...choices.values()].sort(
    (a, b) =>
      MODE_RANK[a.mode] - MODE_RANK[b.mode] ||
      CURRENT.indexOf(a.policy) - CURRENT.indexOf(b.policy),
  );
}

export interface ConnectionValues {
  url: string;
  choice: SecurityChoice | null;
  /** The technician ticked "use it anyway" for security none. */
  acceptInsecure: boolean;
  /** '' = anonymous. */
  username: string;
  password: string;
}

/** Why the connection cannot be used yet; null when it can. */
export function connectionProblem(
  values: ConnectionValues,
): 'security' | 'insecure' | 'password' | null {
  if (!values.choice) return 'security';
  if (values.choice.insecure && !values.acceptInsecure) return 'insecure';
  if (values.username.trim() !== '' && values.password === '') return 'password';
  return null;
}

export function toConnection(values: ConnectionValues): OpcuaConnection {
  const choice = values.choice;
  if (!choice) throw new Error('no security chosen');
  const username = values.username.trim();
  return {
    url: values.url.trim(),
    securityMode: choice.mode,
    ...(choice.insecure ? { allowInsecure: true } : { securityPolicy: choice.policy }),
    ...(username !== '' ? { username, password: values.password } : {}),
  };
}

export interface PointMapping {
  point: string;
  nodeId: string;
  /** As typed; '' = 1. */
  scale: string;
  invert: boolean;
}

/** Adds or replaces the mapping of a point: one node per canonical point. */
export function withMapping(mappings: readonly PointMapping[], next: PointMapping): PointMapping[] {
  return [...mappings.filter((m) => m.point !== next.point), next];
}

/** A scale the site schema accepts: a finite number other than 0. */
export function parseScale(text: string): number | null {
  if (text.trim() === '') return 1;
  const value = Number(text);
  return Number.isFinite(value) && value !== 0 ? value : null;
}

export function toOpcuaSettings(
  connection: OpcuaConnection,
  mappings: readonly PointMapping[],
): OpcuaDeviceSettings {
  return {
    securityMode: connection.securityMode,
    ...(connection.securityPolicy ? { securityPolicy: connection.securityPolicy } : {}),
    ...(connection.allowInsecure ? { allowInsecure: true } : {}),
    ...(connection.username ? { username: connection.username } : {}),
    points: mappings.map((m) => {
      const scale = parseScale(m.scale) ?? 1;
      return {
        point: m.point,
        nodeId: m.nodeId,
        ...(scale !== 1 ? { scale } : {}),
        ...(m.invert ? { invert: true } : {}),
      };
    }),
  };
}

/** `AB:CD:…` in groups as device displays and OPC UA tools show thumbprints. */
export function groupedThumbprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

/** The station's canonical points and their units (core/points/point-names.ts). */
export const POINT_UNITS = {
  powerW: 'W',
  energyImportWh: 'Wh',
  energyExportWh: 'Wh',
  energyProducedWh: 'Wh',
  voltageV: 'V',
  frequencyHz: 'Hz',
  socPct: '%',
  capacityWh: 'Wh',
  ratedPowerW: 'W',
  maxChargeW: 'W',
  maxDischargeW: 'W',
  powerLimitPct: '%',
  gridConnected: 'bool',
} as const satisfies Record<PointName, string>;

export const POINT_NAMES = Object.keys(POINT_UNITS) as PointName[];

const HINTS: Array<[RegExp, PointName]> = [
  [/soc|stateofcharge/i, 'socPct'],
  [/setpoint|limit/i, 'powerLimitPct'],
  [/capacity/i, 'capacityWh'],
  [/rated/i, 'ratedPowerW'],
  [/freq/i, 'frequencyHz'],
  [/volt/i, 'voltageV'],
  [/charged|import/i, 'energyImportWh'],
  [/discharged|export/i, 'energyExportWh'],
  [/power/i, 'powerW'],
];

/** A first guess of the point a node feeds, from its name; the technician confirms it. */
export function guessPoint(browseName: string): PointName {
  return HINTS.find(([pattern]) => pattern.test(browseName))?.[1] ?? 'powerW';
}
