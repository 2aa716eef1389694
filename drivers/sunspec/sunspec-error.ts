// Expected SunSpec failures, as values (core/result.ts). A caller acts on `code`; the
// message names the model, point, value and limits for people.
import type { Problem } from '../../core/result';
import type { ModbusError } from '../modbus/unit-client';

export type SunspecErrorCode =
  // discovery
  | 'no_marker' // no 'SunS' at any probed base address
  | 'read_failed' // a read failed for a reason other than "this address does not exist"
  | 'bad_length' // a model length L runs past the end of the address space
  | 'too_many_models' // more models than any real device has: garbage or a loop
  | 'loop' // the chain leads back to the marker
  | 'truncated_chain' // the marker is there but no model header is readable
  | 'stale_map' // the model at a known address is not the one discovery found there
  // decoding
  | 'length_mismatch' // L does not fit the model's fixed block and repeating groups
  | 'bad_count' // a count point is not implemented or asks for more than L holds
  | 'short_body' // fewer words than L
  | 'unknown_model' // no definition for this model id
  | 'no_common_model' // identity needs model 1
  // writing
  | 'unknown_point'
  | 'read_only'
  | 'out_of_range'
  | 'wrong_type'
  | 'no_scale_factor';

export interface SunspecError extends Problem {
  code: SunspecErrorCode;
  modelId?: number;
  /** Register address (0-based, wire numbering) the problem was found at. */
  address?: number;
  /** The Modbus failure behind a `read_failed` or `no_marker`. */
  cause?: ModbusError;
}

export const sunspecError = (
  code: SunspecErrorCode,
  message: string,
  extra: Omit<SunspecError, 'code' | 'message'> = {},
): SunspecError => ({ code, message, ...extra });
