// Hash routes (`#/devices`): they need no server rewrites, so the same build works from
// Electron's file/custom protocol and from `microgrid serve` over HTTP.
import type { MessageKey } from '../i18n/dictionaries';

export const ROUTES = [
  'overview',
  'market',
  'ledger',
  'devices',
  'control',
  'alarms',
  'settings',
] as const;
export type RouteId = (typeof ROUTES)[number];

export const DEFAULT_ROUTE: RouteId = 'overview';

/** The page's name: its navigation label and its heading. */
export const ROUTE_LABELS = {
  overview: 'nav.overview',
  market: 'nav.market',
  ledger: 'nav.ledger',
  devices: 'nav.devices',
  control: 'nav.control',
  alarms: 'nav.alarms',
  settings: 'nav.settings',
} as const satisfies Record<RouteId, MessageKey>;

function isRoute(value: string): value is RouteId {
  return (ROUTES as readonly string[]).includes(value);
}

/** The route for a location hash; null for a path that names no page. */
export function parseHash(hash: string): RouteId | null {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '').toLowerCase();
  if (path === '') return DEFAULT_ROUTE;
  return isRoute(path) ? path : null;
}

export function hrefFor(route: RouteId): string {
  return `#/${route}`;
}
