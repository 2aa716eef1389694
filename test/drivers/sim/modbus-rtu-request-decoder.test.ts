// How the RTU slave finds requests in the bytes on its line, from raw bytes.
import { describe, expect, it } from 'vitest';
import { withCrc } from '../../../drivers/modbus/crc16';
import { RtuRequestDecoder } from '../../../drivers/sim/modbus-rtu-request-decoder';

const read = withCrc([1, 3, 0, 0, 0, 10]);
const write16 = withCrc([2, 16, 0, 4, 0, 2, 4, 0x12, 0x34, 0x56, 0x78]);

describe('RtuRequestDecoder', () => {
  it('cuts frames by length: split across chunks, or several in one chunk', () => {
    const decoder = new RtuRequestDecoder();
    expect(decoder.push(read.subarray(0, 3))).toEqual([]);
    expect(decoder.pending).toBe(true);
    expect(decoder.push(read.subarray(3))).toEqual([read]);
    expect(decoder.push(Buffer.concat([write16, read]))).toEqual([write16, read]);
    expect(decoder.pending).toBe(false);
    expect(decoder.takeDroppedBytes()).toBe(0);
  });

  it('reads the byte count of FC15/FC16 before it knows their length', () => {
    const decoder = new RtuRequestDecoder();
    expect(decoder.push(write16.subarray(0, 6))).toEqual([]);
    expect(decoder.push(write16.subarray(6, 10))).toEqual([]);
    expect(decoder.push(write16.subarray(10))).toEqual([write16]);
  });

  it('finds a frame behind noise, and counts the noise', () => {
    const decoder = new RtuRequestDecoder();
    const noise = [0x01, 0x03, 0xff, 0x00, 0x55];
    expect(decoder.push(Buffer.concat([Buffer.from(noise), read]))).toEqual([read]);
    expect(decoder.takeDroppedBytes()).toBe(noise.length);
  });

  it('drops a request with a broken CRC', () => {
    const decoder = new RtuRequestDecoder();
    const broken = Buffer.from(read);
    broken[7]! ^= 0x01;
    expect(decoder.push(broken)).toEqual([]);
    expect(decoder.silence()).toEqual([]);
    expect(decoder.pending).toBe(false);
    expect(decoder.takeDroppedBytes()).toBe(8);
  });

  it('ends frames of unknown length with silence, and drops fragments then', () => {
    const decoder = new RtuRequestDecoder();
    const diagnostics = withCrc([1, 43, 14, 1, 0]);
    expect(decoder.push(diagnostics)).toEqual([]);
    expect(decoder.silence()).toEqual([diagnostics]);
    expect(decoder.push(read.subarray(0, 5))).toEqual([]);
    expect(decoder.silence()).toEqual([]);
    expect(decoder.takeDroppedBytes()).toBe(5);
    // The next request after the silence is read normally.
    expect(decoder.push(read)).toEqual([read]);
  });
});
