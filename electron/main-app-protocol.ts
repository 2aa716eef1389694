import { protocol, net } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Serves out/renderer under app://station/ with paths confined to that folder. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle('app', (request) => {
    const { host, pathname } = new URL(request.url);
    const relative =
      normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(rendererDir, relative);
    if (host !== 'station' || !file.startsWith(rendererDir + sep))
      return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
