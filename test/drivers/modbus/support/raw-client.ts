// A bare TCP client for poking the simulator with exact bytes, including broken ones.
import { connect, type Socket } from 'node:net';
import { MbapDecoder, type MbapFrame } from '../../../../drivers/sim/modbus-mbap';

export interface RawClient {
  socket: Socket;
  frames: MbapFrame[];
  /** Resolves when at least `count` frames have arrived; rejects after `timeoutMs`. */
  waitForFrames(count: number, timeoutMs?: number): Promise<MbapFrame[]>;
  /** Resolves true when the server closes the connection within `timeoutMs`. */
  waitForClose(timeoutMs?: number): Promise<boolean>;
  send(bytes: Buffer | number[]): void;
  end(): void;
}

export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  socket.on('error', () => undefined);
  const decoder = new MbapDecoder();
  const frames: MbapFrame[] = [];
  let closed = false;
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());
  socket.on('data', (chunk: Buffer) => {
    frames.push(...decoder.push(chunk).frames);
    notify();
  });
  socket.on('close', () => {
    closed = true;
    notify();
  });
  const until = <T>(test: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = test();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    socket,
    frames,
    waitForFrames: (count, timeoutMs = 2000) =>
      until(
        () => (frames.length >= count ? frames.slice() : undefined),
        timeoutMs,
        `${count} frames`,
      ),
    waitForClose: (timeoutMs = 2000) =>
      until(() => (closed ? true : undefined), timeoutMs, 'close').catch(() => false),
    send: (bytes) => void socket.write(Buffer.from(bytes)),
    end: () => void socket.destroy(),
  };
}

/** MBAP request frame: transaction id, unit id and PDU bytes. */
export function frame(transactionId: number, unitId: number, pdu: number[]): Buffer {
  const out = Buffer.alloc(7 + pdu.length);
  out.writeUInt16BE(transactionId, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pdu.length + 1, 4);
  out.writeUInt8(unitId, 6);
  Buffer.from(pdu).copy(out, 7);
  return out;
}

/** PDU for a read (FC1–4): function code, address, quantity. */
export function readPdu(fc: number, address: number, quantity: number): number[] {
  return [fc, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff];
}
