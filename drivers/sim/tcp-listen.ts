import type { Server } from 'node:net';

/** Starts `server` listening (port 0 = a free one, host default 127.0.0.1) and resolves with the bound port. */
export function listenTcp(
  server: Server,
  options: { host?: string; port?: number } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
