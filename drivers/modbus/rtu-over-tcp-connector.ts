// Modbus RTU frames (unit id, PDU, CRC; no MBAP header) over a TCP socket, as cheap
// Ethernet-to-RS-485 gateways pass them through ("transparent" or "raw" mode), e.g.
// modbus-rtuovertcp://192.168.1.30:4196. Like Modbus TCP, a timeout or malformed reply costs
// the socket; unlike it, a new socket is not enough (the gateway forwards a late reply from the
// bus to whichever connection it has), so each new connection drains first (rtu-connection.ts).
import type { ModbusConnector } from './connector';
import { openRtuConnection } from './rtu-connection';
import { RTU_OVER_TCP_TIMING, type RtuTiming } from './rtu-timing';
import { connectSocket } from './tcp-socket';

export interface RtuOverTcpOptions {
  timing?: Partial<RtuTiming>;
}

export function rtuOverTcpConnector(
  host: string,
  port: number,
  options: RtuOverTcpOptions = {},
): ModbusConnector {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const timing = { ...RTU_OVER_TCP_TIMING, ...options.timing };
  return {
    endpoint: `modbus-rtuovertcp://${hostPart}:${port}`,
    reopenAfterTimeout: true,
    connect: async (timeoutMs, signal) => {
      const startedMs = performance.now();
      const socket = await connectSocket(host, port, timeoutMs, signal);
      if (!socket.ok) return socket;
      const remainingMs = timeoutMs - (performance.now() - startedMs);
      return openRtuConnection(socket.value, timing, remainingMs, signal);
    },
  };
}
