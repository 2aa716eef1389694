// Expected failures of the commissioning tools, as values. Every message is one sentence a
// technician can act on ("cannot reach …", "unit 3 did not answer within 300 ms …"), because
// the CLI prints it as is and the commissioning UI shows it next to the device.
import type { Problem } from '../../core/result';
import type { ModbusError } from '../modbus/unit-client';
import type { SunspecError } from '../sunspec/sunspec-error';

export type CommissioningErrorCode =
  // input, found before anything is sent
  | 'bad_url'
  | 'unsupported_transport' // e.g. modbus-rtu before its connector exists, or opc.tcp
  | 'bad_unit_ids'
  | 'bad_request' // address/count outside what Modbus allows
  | 'unknown_model' // the station has no definition for this model id
  | 'unknown_point'
  | 'read_only'
  | 'out_of_range'
  | 'wrong_type'
  | 'no_scale_factor'
  // on the wire
  | 'unreachable' // the connection could not be opened or was lost
  | 'timeout'
  | 'illegal_address' // exception 02
  | 'illegal_function' // exception 01
  | 'illegal_value' // exception 03: the device refused the value
  | 'gateway' // exception 0A/0B: the gateway has nothing behind that unit id
  | 'device_error' // exception 04/06/other, or a malformed reply
  | 'aborted'
  // SunSpec
  | 'no_sunspec' // no 'SunS' marker at any base address
  | 'model_not_present' // the device does not offer the model asked for
  | 'bad_sunspec_map'; // marker found, but the map or a model cannot be decoded

export interface CommissioningError extends Problem {
  code: CommissioningErrorCode;
  /** The Modbus failure underneath, for programs that want the detail. */
  cause?: ModbusError;
}

export const commissioningError = (
  code: CommissioningErrorCode,
  message: string,
  cause?: ModbusError,
): CommissioningError => (cause ? { code, message, cause } : { code, message });

/** What `AbortableUnit` answers once the caller's signal fired. */
export const ABORTED_MESSAGE = 'stopped by the user';

/** Where a request went, for messages: endpoint and unit id. */
export interface UnitRef {
  readonly endpoint: string;
  readonly unitId: number;
}

/** The ref of a unit client: its endpoint without the `?unit=` the message names anyway. */
export const refOf = (unit: { endpoint: string; unitId: number }): UnitRef => ({
  endpoint: unit.endpoint.replace(/\?unit=\d+$/, ''),
  unitId: unit.unitId,
});

const unitAt = (ref: UnitRef) => `unit ${ref.unitId} at ${ref.endpoint}`;

/** What a socket error usually means on site, for the technician reading it. */
const CONNECT_HINTS: readonly (readonly [RegExp, string])[] = [
  [/ECONNREFUSED/, 'nothing accepts connections on that port: check the address and port'],
  [/ENOTFOUND|EAI_AGAIN/, 'no such host name'],
  [/EHOSTUNREACH|ENETUNREACH/, 'no route to that host: check cabling and the IP settings'],
  [
    /ECONNRESET|closed by peer/,
    'the device closed the connection: does another client hold its only one?',
  ],
];

/** A failed request in words: what went wrong and, where it helps, what to check. */
export function fromModbusError(
  error: ModbusError,
  ref: UnitRef,
  what: string,
): CommissioningError {
  const detail = error.message;
  switch (error.code) {
    case 'disconnected': {
      const reason = detail.replace(/^(link down: )+/, '');
      const hint = CONNECT_HINTS.find(([pattern]) => pattern.test(reason))?.[1];
      return commissioningError(
        'unreachable',
        `cannot reach ${ref.endpoint}: ${reason}${hint ? ` (${hint})` : ''}`,
        error,
      );
    }
    case 'closed':
      return detail === ABORTED_MESSAGE
        ? commissioningError('aborted', ABORTED_MESSAGE, error)
        : commissioningError('unreachable', `${ref.endpoint}: ${detail}`, error);
    case 'timeout':
      return commissioningError(
        'timeout',
        `${unitAt(ref)} did not answer ${what} (${detail}): check the unit id and that the device is on`,
        error,
      );
    case 'illegal_address':
      return commissioningError(
        'illegal_address',
        `${unitAt(ref)} refused ${what}: illegal data address (exception 02)`,
        error,
      );
    case 'illegal_function':
      return commissioningError(
        'illegal_function',
        `${unitAt(ref)} does not support ${what}: illegal function (exception 01)`,
        error,
      );
    case 'illegal_value':
      return commissioningError(
        'illegal_value',
        `${unitAt(ref)} refused ${what}: illegal data value (exception 03)`,
        error,
      );
    case 'gateway_path':
    case 'gateway_target':
      return commissioningError(
        'gateway',
        `the gateway at ${ref.endpoint} got no answer from unit ${ref.unitId} (${detail})`,
        error,
      );
    default:
      return commissioningError('device_error', `${unitAt(ref)}, ${what}: ${detail}`, error);
  }
}

const INPUT_CODES = new Set([
  'unknown_point',
  'read_only',
  'out_of_range',
  'wrong_type',
  'no_scale_factor',
]);

/** A refusal of the SunSpec encoder (its message already names model, point and limits). */
export function fromEncodeError(error: SunspecError): CommissioningError {
  if (INPUT_CODES.has(error.code))
    return commissioningError(error.code as CommissioningErrorCode, error.message);
  // A count the device reports that cannot place the point: the point is not there.
  return commissioningError('unknown_point', error.message);
}

/** A SunSpec failure in words; a Modbus cause underneath keeps its own wording. */
export function fromSunspecError(error: SunspecError, ref: UnitRef): CommissioningError {
  if (error.code === 'no_marker') {
    // Keep what each base address answered: "40000: illegal_address; 0: …".
    const tried = /\((.*)\)$/.exec(error.message)?.[1];
    // Silence at every base address is a unit that is not there, not one without SunSpec.
    if (error.cause?.code === 'timeout' && tried && /^(\d+: timeout(; |$))+$/.test(tried))
      return fromModbusError(error.cause, ref, 'at 40000, 0 or 50000');
    return commissioningError(
      'no_sunspec',
      `${unitAt(ref)} has no SunSpec map: no 'SunS' marker at 40000, 0 or 50000${tried ? ` (${tried})` : ''}`,
      error.cause,
    );
  }
  if (error.cause && error.code === 'read_failed') {
    const where = error.address === undefined ? 'a read' : `the read at ${error.address}`;
    return fromModbusError(error.cause, ref, where);
  }
  if (error.code === 'unknown_model')
    return commissioningError('unknown_model', `${unitAt(ref)}: ${error.message}`);
  return commissioningError('bad_sunspec_map', `${unitAt(ref)}: ${error.message}`, error.cause);
}
