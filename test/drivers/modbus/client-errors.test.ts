// modbus-serial's error shapes, as it builds them in index.js, mapped to ModbusError codes.
import { describe, expect, it } from 'vitest';
import { mapClientError } from '../../../drivers/modbus/client-errors';

const withProps = (message: string, props: Record<string, unknown>): Error =>
  Object.assign(new Error(message), props);

describe('mapClientError', () => {
  it.each([
    [
      'an exception reply',
      withProps('Modbus exception 2: Illegal data address', { modbusCode: 2 }),
      'illegal_address',
    ],
    [
      'an unlisted exception code',
      withProps('Modbus exception 5: Acknowledge', { modbusCode: 5 }),
      'exception',
    ],
    [
      'its own timeout',
      { name: 'TransactionTimedOutError', message: 'Timed out', errno: 'ETIMEDOUT' },
      'timeout',
    ],
    [
      'a write to a closed port',
      { name: 'PortNotOpenError', message: 'Port Not Open', errno: 'ECONNREFUSED' },
      'disconnected',
    ],
    ['a reset socket', withProps('read ECONNRESET', { code: 'ECONNRESET' }), 'disconnected'],
    ['a wrong reply length', new Error('Data length error, expected 9 got 7'), 'bad_reply'],
    [
      'a reply from another unit',
      new Error('Unexpected data error, expected address 1 got 2'),
      'bad_reply',
    ],
    ['a parse failure', new RangeError('The value of "offset" is out of range.'), 'bad_reply'],
    ['something that is not an Error', 'weird', 'bad_reply'],
  ])('maps %s', (_name, error, code) => {
    expect(mapClientError(error).code).toBe(code);
  });

  it('keeps the exception code of exception replies', () => {
    expect(mapClientError(withProps('Modbus exception 11', { modbusCode: 11 }))).toMatchObject({
      code: 'gateway_target',
      exceptionCode: 11,
    });
  });
});
