// The renderer's Content Security Policy, in one place for its three deliveries: the <meta>
// in renderer/index.html (a test keeps that copy equal to RENDERER_META_CSP), the header of
// the headless host's responses and the header of the Electron app: protocol's responses.
// A browser enforces every policy it is given, so the header only ever narrows the meta.

type Directives = Readonly<Record<string, readonly string[]>>;

const RENDERER: Directives = {
  'default-src': ["'self'"],
  // Bundled scripts only: no inline script, no eval, nothing remote.
  'script-src': ["'self'"],
  // 'unsafe-inline' for styles only, because this <meta> is also in force under Vite's dev
  // server, which injects <style> tags. The build needs none (Svelte and Chart.js style
  // elements through the CSSOM, which CSP does not govern): Chromium reported no violation
  // on any page with style-src 'self' added. Styles cannot run code; scripts stay 'self'.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  // ws:/wss: for the station's WebSocket (/api/ws) when a browser loads the page from
  // `microgrid serve`: only CSP Level 3 browsers let 'self' cover ws: of the same host.
  'connect-src': ["'self'", 'ws:', 'wss:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** Directives a <meta> cannot carry (browsers ignore them there): headers only. */
const HEADER_ONLY: Directives = { 'frame-ancestors': ["'none'"] };

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The policy in renderer/index.html's <meta>, the same wherever the page is loaded. */
export const RENDERER_META_CSP = serialize(RENDERER);

/** Header of the headless host (`microgrid serve`). */
export const HTTP_HOST_CSP = serialize({ ...RENDERER, ...HEADER_ONLY });

/** Header of app://station responses: the Electron renderer talks through the preload
 *  bridge, never over the network, so it may connect to nothing but its own files. */
export const APP_PROTOCOL_CSP = serialize({
  ...RENDERER,
  'connect-src': ["'self'"],
  ...HEADER_ONLY,
});
