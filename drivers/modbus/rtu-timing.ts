// Timing of a Modbus RTU line. The Modbus over Serial Line spec (V1.02, 2.5.1.1) marks frame
// boundaries by silence: at least 3.5 character times between frames (t3.5). Above 19200
// baud it fixes t3.5 at 1.75 ms, because the character time there is shorter than what
// UARTs and their drivers can resolve.
//
// A computer cannot see silences that short through the OS and a USB adapter (FTDI chips
// hand bytes over every 16 ms by default), so the master uses t3.5 only as the minimum quiet
// time before it transmits. Ends of replies come from their expected length; for broken
// replies we wait for a much longer silence (byteTimeoutMs) before giving up on the rest.
import type { Parity } from '../../core/site/device-url';

export interface SerialFraming {
  baudRate: number;
  parity: Parity;
  stopBits: 1 | 2;
  dataBits: 7 | 8;
}

export interface RtuTiming {
  /** Time one character takes on the wire (start, data, parity and stop bits). */
  charTimeMs: number;
  /** t3.5: the line must have been quiet this long before we transmit. */
  silentIntervalMs: number;
  /** A reply that stops for this long is handed over as it is (then it is malformed). */
  byteTimeoutMs: number;
  /**
   * A new connection (the first, and the one the link opens after a timeout or a malformed
   * reply) waits until the line has been quiet this long, discarding what arrives: a late
   * reply then falls into the bin instead of being read as the next reply.
   */
  drainMs: number;
  /** After a broadcast write, the time the units get to act before the next request. */
  broadcastTurnaroundMs: number;
}

const FIXED_SILENT_INTERVAL_MS = 1.75;
/** Below this, the OS, the adapter and Node's timers blur the bytes of one frame. */
const MIN_BYTE_TIMEOUT_MS = 50;
const MIN_DRAIN_MS = 100;
/** The spec's typical turnaround delay is 100 to 200 ms. */
const BROADCAST_TURNAROUND_MS = 100;

export function characterTimeMs(framing: SerialFraming): number {
  const bits = 1 + framing.dataBits + (framing.parity === 'none' ? 0 : 1) + framing.stopBits;
  return (bits * 1000) / framing.baudRate;
}

export function silentIntervalMs(framing: SerialFraming): number {
  if (framing.baudRate > 19200) return FIXED_SILENT_INTERVAL_MS;
  return 3.5 * characterTimeMs(framing);
}

export function serialRtuTiming(framing: SerialFraming): RtuTiming {
  const silentMs = silentIntervalMs(framing);
  const byteTimeoutMs = Math.max(MIN_BYTE_TIMEOUT_MS, 4 * silentMs);
  return {
    charTimeMs: characterTimeMs(framing),
    silentIntervalMs: silentMs,
    byteTimeoutMs,
    drainMs: Math.max(MIN_DRAIN_MS, 2 * byteTimeoutMs),
    broadcastTurnaroundMs: BROADCAST_TURNAROUND_MS,
  };
}

/**
 * RTU frames over TCP: the gateway owns the serial timing, and TCP carries a frame in one
 * piece unless the network splits it. A short pause before each request still helps cheap
 * gateways that forward bytes as they come.
 */
export const RTU_OVER_TCP_TIMING: RtuTiming = {
  charTimeMs: 0,
  silentIntervalMs: FIXED_SILENT_INTERVAL_MS,
  byteTimeoutMs: 100,
  drainMs: 200,
  broadcastTurnaroundMs: BROADCAST_TURNAROUND_MS,
};
