// How serial port failures read. The messages below are the ones the serialport bindings
// produce (Linux, Windows). Missing ports and non-serial paths are also opened for real in
// rtu-link-faults.test.ts; "permission denied" and "port locked" cannot be produced there
// (tests run as root, which opens any pty), so only their wording is checked here.
import { describe, expect, it } from 'vitest';
import { serialCloseReason, serialOpenProblem } from '../../../drivers/modbus/serial-errors';

describe('serialOpenProblem', () => {
  const path = '/dev/ttyUSB0';
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB0', 'does not exist'],
    ['Opening COM7: File not found', 'does not exist'],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'dialout'],
    ['Opening COM7: Access denied', 'no permission'],
    ['Error Resource temporarily unavailable Cannot lock port', 'in use by another program'],
    ['Error: Inappropriate ioctl for device setting custom baud rate of 9600', 'not a serial port'],
    ['Error: Is a directory, cannot open /dev', 'not a serial port'],
  ])('%s → %s', (message, expected) => {
    const text = serialOpenProblem(path, new Error(message));
    expect(text).toContain(path);
    expect(text).toContain(expected);
  });

  it('keeps an unknown message as it is', () => {
    expect(serialOpenProblem(path, new Error('Error: something new'))).toBe(
      'cannot open serial port /dev/ttyUSB0: Error: something new',
    );
  });
});

describe('serialCloseReason', () => {
  it('tells an unplugged adapter from a plain close', () => {
    const unplugged = Object.assign(new Error('bad file descriptor'), { disconnected: true });
    expect(serialCloseReason('/dev/ttyUSB0', unplugged, null)).toBe(
      'serial port /dev/ttyUSB0 went away (bad file descriptor)',
    );
    expect(serialCloseReason('/dev/ttyUSB0', null, 'EIO')).toBe(
      'serial port /dev/ttyUSB0 closed: EIO',
    );
    expect(serialCloseReason('/dev/ttyUSB0', undefined, null)).toBe(
      'serial port /dev/ttyUSB0 closed',
    );
  });
});
