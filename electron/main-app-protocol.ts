// The app: protocol: the Electron window's pages come from here, not from file://, so they
// get a real origin (app://station) that IPC and navigation checks can name, and file://
// pages' extra privileges are never needed (the GrantFileProtocolExtraPrivileges fuse is off).
import { net, protocol } from 'electron';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_PROTOCOL_CSP } from './content-security-policy';
import { APP_HOST, APP_SCHEME } from './ipc-channels';

/** Registered before `ready`: standard (relative URLs, an origin), secure (like https, so
 *  secure-context APIs work) and fetchable. Not `bypassCSP`, not `corsEnabled`. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Serves out/renderer under app://station/ with paths confined to that folder. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request));
}

export async function appResponse(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'GET only');
  const file = resolveAppFile(rendererDir, request.url);
  if (!file) return refuse(403, 'forbidden');
  let found: Response;
  try {
    found = await net.fetch(pathToFileURL(file).toString());
  } catch {
    return refuse(404, 'not found');
  }
  if (!found.ok) return refuse(404, 'not found');
  const headers = new Headers(found.headers);
  for (const [name, value] of Object.entries(securityHeaders())) headers.set(name, value);
  return new Response(request.method === 'HEAD' ? null : found.body, { status: 200, headers });
}

/** The file under rendererDir that an app: URL names, or null for anything else: another
 *  host, a malformed escape, or a path that leaves the folder (`..`, also %2e%2e / %2f). */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  // The URL parser has already resolved plain dots; what is left came escaped. Refuse it
  // rather than resolve it: no file of ours has `..` in its path.
  if (pathname.includes('\0') || pathname.split(/[/\\]/).includes('..')) return null;
  const root = resolve(rendererDir);
  const relative = normalize(pathname).replace(/^([/\\])+/, '') || 'index.html';
  const file = join(root, relative);
  return file.startsWith(root + sep) ? file : null;
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': APP_PROTOCOL_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
}

function refuse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() },
  });
}
