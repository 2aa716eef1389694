// The CRC that ends every Modbus RTU frame (CRC-16/MODBUS: reflected polynomial 0xA001,
// initial value 0xFFFF), sent low byte first. Shared by the RTU master, the RTU simulator
// and tests that build frames by hand.
const TABLE = buildTable();

export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) crc = (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
  return crc;
}

/** `body` followed by its CRC, low byte first: a complete RTU frame. */
export function withCrc(body: Uint8Array | readonly number[]): Buffer {
  const frame = Buffer.alloc(body.length + 2);
  frame.set(body);
  frame.writeUInt16LE(crc16(frame.subarray(0, body.length)), body.length);
  return frame;
}

/** True when the last two bytes are the CRC of the rest (frames shorter than 4 bytes never are). */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const end = frame.length - 2;
  return crc16(frame.subarray(0, end)) === (frame[end]! | (frame[end + 1]! << 8));
}

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    table[n] = crc;
  }
  return table;
}
