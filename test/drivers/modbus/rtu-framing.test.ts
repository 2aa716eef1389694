// RTU framing from raw bytes: the CRC, the silences, and how a master finds its reply among
// noise. Frames here are written out by hand or built with withCrc from hand-written bodies.
import { describe, expect, it } from 'vitest';
import { crc16, hasValidCrc, withCrc } from '../../../drivers/modbus/crc16';
import { expectedReply, RtuReplyFramer } from '../../../drivers/modbus/rtu-reply-framer';
import {
  characterTimeMs,
  serialRtuTiming,
  silentIntervalMs,
} from '../../../drivers/modbus/rtu-timing';

const READ_10_FROM_UNIT_1 = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0a];

describe('crc16', () => {
  it('matches the Modbus spec example and the standard check value', () => {
    // Read 10 holding registers from unit 1: the frame every Modbus tutorial prints.
    expect([...withCrc(READ_10_FROM_UNIT_1)]).toEqual([...READ_10_FROM_UNIT_1, 0xc5, 0xcd]);
    // CRC-16/MODBUS check value for the ASCII string "123456789".
    expect(crc16(Buffer.from('123456789'))).toBe(0x4b37);
  });

  it('tells valid frames from broken and too short ones', () => {
    const frame = withCrc(READ_10_FROM_UNIT_1);
    expect(hasValidCrc(frame)).toBe(true);
    const broken = Buffer.from(frame);
    broken[3]! ^= 0x01;
    expect(hasValidCrc(broken)).toBe(false);
    expect(hasValidCrc(Buffer.from([0xff, 0xff, 0xff]))).toBe(false);
  });
});

describe('RTU timing', () => {
  it('counts start, data, parity and stop bits per character', () => {
    const even = { baudRate: 9600, parity: 'even', stopBits: 1, dataBits: 8 } as const;
    expect(characterTimeMs(even)).toBeCloseTo((11 * 1000) / 9600, 9);
    expect(characterTimeMs({ ...even, parity: 'none' })).toBeCloseTo((10 * 1000) / 9600, 9);
    expect(characterTimeMs({ ...even, parity: 'none', stopBits: 2 })).toBeCloseTo(
      (11 * 1000) / 9600,
      9,
    );
  });

  it('uses 3.5 character times up to 19200 baud and a fixed 1.75 ms above', () => {
    const at = (baudRate: number): number =>
      silentIntervalMs({ baudRate, parity: 'even', stopBits: 1, dataBits: 8 });
    expect(at(9600)).toBeCloseTo(4.0104, 3);
    expect(at(1200)).toBeCloseTo(32.083, 2);
    expect(at(19200)).toBeCloseTo(2.0052, 3);
    expect(at(38400)).toBe(1.75);
    expect(at(115200)).toBe(1.75);
  });

  it('waits longer for a broken reply at slow baud rates, never less than 50 ms', () => {
    const framing = { parity: 'even', stopBits: 1, dataBits: 8 } as const;
    expect(serialRtuTiming({ ...framing, baudRate: 115200 }).byteTimeoutMs).toBe(50);
    expect(serialRtuTiming({ ...framing, baudRate: 1200 }).byteTimeoutMs).toBeCloseTo(128.33, 1);
    expect(serialRtuTiming({ ...framing, baudRate: 9600 }).drainMs).toBe(100);
  });
});

describe('expectedReply', () => {
  const request = (body: number[]): Buffer => withCrc(body);

  it('knows the reply length of every function code the link sends', () => {
    expect(expectedReply(request(READ_10_FROM_UNIT_1))).toEqual({
      unitId: 1,
      functionCode: 3,
      length: 25,
    });
    expect(expectedReply(request([7, 1, 0, 0, 0, 9])).length).toBe(7); // 9 coils: 2 bytes
    expect(expectedReply(request([7, 2, 0, 0, 0, 8])).length).toBe(6);
    expect(expectedReply(request([7, 4, 0, 0, 0, 125])).length).toBe(255);
    for (const fc of [5, 6]) expect(expectedReply(request([7, fc, 0, 1, 0, 1])).length).toBe(8);
    expect(expectedReply(request([7, 16, 0, 1, 0, 1, 2, 0, 5])).length).toBe(8);
    expect(expectedReply(request([7, 15, 0, 1, 0, 3, 1, 5])).length).toBe(8);
    expect(expectedReply(request([7, 43, 14, 1, 0])).length).toBeNull();
  });
});

describe('RtuReplyFramer', () => {
  const expected = { unitId: 2, functionCode: 3, length: 9 };
  const reply = withCrc([2, 3, 4, 0x12, 0x34, 0x56, 0x78]);

  it('waits for the expected length, across chunks', () => {
    const framer = new RtuReplyFramer(expected);
    expect(framer.push(reply.subarray(0, 4))).toBeNull();
    expect(framer.push(reply.subarray(4))).toEqual(reply);
  });

  it('takes a 5-byte exception reply', () => {
    const exception = withCrc([2, 0x83, 2]);
    expect(new RtuReplyFramer(expected).push(exception)).toEqual(exception);
  });

  it('skips noise in front of the reply, including a look-alike with a bad CRC', () => {
    const lookAlike = Buffer.from(reply);
    lookAlike[4]! ^= 0xff;
    const framer = new RtuReplyFramer(expected);
    expect(framer.push(Buffer.from([0x00, 0xff, 0x02]))).toBeNull();
    expect(framer.push(lookAlike)).toBeNull();
    expect(framer.push(reply)).toEqual(reply);
  });

  it('hands over a valid frame from another unit at the start, so it is reported', () => {
    const fromUnit3 = withCrc([3, 3, 4, 0, 1, 0, 2]);
    expect(new RtuReplyFramer(expected).push(fromUnit3)).toEqual(fromUnit3);
  });

  it('ignores a valid frame from another unit behind noise', () => {
    const framer = new RtuReplyFramer(expected);
    expect(
      framer.push(Buffer.concat([Buffer.from([0x55]), withCrc([3, 3, 4, 0, 1, 0, 2])])),
    ).toBeNull();
  });

  it('gives up what it has when asked (a truncated or corrupt reply)', () => {
    const framer = new RtuReplyFramer(expected);
    expect(framer.push(reply.subarray(0, 6))).toBeNull();
    expect(framer.takeIncomplete()).toEqual(reply.subarray(0, 6));
    expect(framer.takeIncomplete()).toBeNull();
  });
});
