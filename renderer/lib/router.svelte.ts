import { parseHash, type RouteId } from './routes';

let current = $state<RouteId | null>(parseHash(window.location.hash));

window.addEventListener('hashchange', () => {
  current = parseHash(window.location.hash);
});

/** The page to show; null when the address names no page. */
export function currentRoute(): RouteId | null {
  return current;
}
