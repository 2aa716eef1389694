export const WS_PATH = '/api/ws';

/** The station's WebSocket on the host that served this page: wss: under https:, else ws:. */
export function stationSocketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}
