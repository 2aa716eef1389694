// How large a gap of unneeded registers a block read may carry: reading the gap costs
// its registers' transfer time, a second request costs a fixed overhead (framing, the
// silence between serial frames, the device's turnaround, a network round trip). Merge
// while gap × per-register time ≤ per-request overhead.
//
// Victron's dbus-modbus-client compares bytes only (2 × gap > frame overhead splits,
// i.e. about 6 registers on RTU and 30 on TCP); counting the device's turnaround as well
// merges more, which is what a half-duplex bus rewards: on RS-485 at 9600 baud a request
// costs about as much as 14 registers, on a LAN a register costs next to nothing.
import type { DeviceEndpoint } from '../../core/site/device-url';
import { MAX_READ_BITS } from './modbus-request';
import { MAX_READ_REGISTERS } from './unit-client';

export interface LinkCost {
  /** Fixed time a request costs besides its data: framing, silences, turnaround, round trip. */
  readonly requestOverheadMs: number;
  /** Transfer time of one register (two bytes) in the reply. */
  readonly perRegisterMs: number;
}

/** Typical device reply delay after a request, beyond the bytes on the wire. */
export const DEVICE_TURNAROUND_MS = 10;
/** Round trip plus processing of a Modbus TCP device on a LAN. */
export const TCP_ROUND_TRIP_MS = 2;

export interface SerialFraming {
  readonly dataBits?: 7 | 8;
  readonly parity?: 'none' | 'even' | 'odd';
  readonly stopBits?: 1 | 2;
}

/** RTU: request frame 8 chars, reply framing 5 chars, 3.5 silent chars before each frame. */
export function serialLinkCost(
  baudRate: number,
  framing: SerialFraming = {},
  extraOverheadMs = 0,
): LinkCost {
  const bitsPerChar =
    1 +
    (framing.dataBits ?? 8) +
    (framing.parity && framing.parity !== 'none' ? 1 : 0) +
    (framing.stopBits ?? 1);
  const charMs = (bitsPerChar * 1000) / baudRate;
  return {
    requestOverheadMs: (8 + 5 + 2 * 3.5) * charMs + DEVICE_TURNAROUND_MS + extraOverheadMs,
    perRegisterMs: 2 * charMs,
  };
}

/** 100 Mbit/s Ethernet: two bytes take 0.16 µs, so any gap that fits is worth reading. */
export const TCP_LINK_COST: LinkCost = {
  requestOverheadMs: TCP_ROUND_TRIP_MS + DEVICE_TURNAROUND_MS,
  perRegisterMs: 16 / 100_000,
};

/** The conservative default: RS-485 at 9600 baud, 8N1. */
export const DEFAULT_LINK_COST: LinkCost = serialLinkCost(9600);

/** Largest gap of unneeded registers worth reading instead of sending another request. */
export function maxGapRegs(cost: LinkCost): number {
  return gapFor(cost.requestOverheadMs, cost.perRegisterMs, MAX_READ_REGISTERS);
}

/** The same for coils and discrete inputs: 16 bits cost what one register does. */
export function maxGapBits(cost: LinkCost): number {
  return gapFor(cost.requestOverheadMs, cost.perRegisterMs / 16, MAX_READ_BITS);
}

function gapFor(overheadMs: number, perItemMs: number, max: number): number {
  if (!(perItemMs > 0) || !Number.isFinite(overheadMs)) return max;
  return Math.max(0, Math.min(max, Math.floor(overheadMs / perItemMs)));
}

/**
 * The cost model for a device URL. A serial gateway behind modbus-rtuovertcp is assumed to
 * run its bus at 9600 baud 8N1 (the URL does not say); a Modbus TCP endpoint that is in
 * fact a gateway to a slow bus should be given its own cost by the caller.
 */
export function linkCostFor(endpoint: DeviceEndpoint): LinkCost {
  switch (endpoint.kind) {
    case 'modbus-rtu':
      return serialLinkCost(endpoint.baudRate, endpoint);
    case 'modbus-rtuovertcp':
      return serialLinkCost(9600, {}, TCP_ROUND_TRIP_MS);
    default:
      return TCP_LINK_COST;
  }
}
