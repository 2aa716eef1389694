// Serves a controllable SunSpec device: reads as sunspecUnitHandler, but every write is
// checked against the device's own limits before it counts. A refused write leaves the
// registers as they were and answers exception 03 (illegal data value), as real inverters
// do; an accepted one acts on the physics at once, in simulated time. Either way the
// write is reported to the recorders, with what it asked for.
import type { ReceivedWrite } from '../demo/demo-recorder';
import type { SunspecImage, WrittenPoint } from '../../sunspec/device-image';
import {
  ILLEGAL_ADDRESS,
  ILLEGAL_VALUE,
  type HandlerResult,
  type ModbusUnitHandler,
} from '../modbus-unit-handler';
import type { SunspecControl } from './sim-sunspec-controls';
import { sunspecUnitHandler } from './sunspec-unit-handler';

export interface SimControlContext {
  /** Brings the physics up to now before a write acts (real-time clock; no-op when manual). */
  sync(): void;
  simNowMs(): number;
  record(write: ReceivedWrite): void;
}

export function controlledUnitHandler(
  image: SunspecImage,
  deviceId: string,
  control: SunspecControl,
  context: SimControlContext,
): ModbusUnitHandler {
  const plain = sunspecUnitHandler(image);
  let lastWritten: readonly WrittenPoint[] = [];
  image.onWrite((points) => (lastWritten = points));
  return {
    readHoldingRegisters: plain.readHoldingRegisters?.bind(plain),
    writeRegisters(address, values): HandlerResult<void> {
      context.sync();
      const start = address - image.baseAddress;
      const before = image.words.slice(Math.max(0, start), Math.max(0, start) + values.length);
      lastWritten = [];
      const written = image.writeRegisters(address, values);
      const report = (
        points: Record<string, number | boolean>,
        extra: Partial<ReceivedWrite>,
      ): void =>
        context.record({
          simMs: context.simNowMs(),
          deviceId,
          target: `sunspec:${lastWritten[0]?.modelId ?? 'unknown'}`,
          values: points,
          accepted: true,
          exceptionCode: null,
          violation: null,
          withoutRevert: false,
          ...extra,
        });
      if (!written.ok) {
        const exceptionCode = written.error.exceptionCode ?? ILLEGAL_ADDRESS;
        report(rawValues(address, values), {
          accepted: false,
          exceptionCode,
          // An enum value the model does not define is a value the device cannot take.
          violation: exceptionCode === ILLEGAL_VALUE ? written.error.message : null,
        });
        return { ok: false, error: { exceptionCode } };
      }
      const names = lastWritten.map((p) => p.path);
      const asked = decoded(image, lastWritten);
      const refusal = control.check(names);
      if (refusal !== null) {
        image.words.set(before, start);
        report(asked, { accepted: false, exceptionCode: ILLEGAL_VALUE, violation: refusal });
        return { ok: false, error: { exceptionCode: ILLEGAL_VALUE } };
      }
      const withoutRevert = control.apply(names);
      report(asked, { withoutRevert });
      return { ok: true, value: undefined };
    },
  };
}

function decoded(
  image: SunspecImage,
  points: readonly WrittenPoint[],
): Record<string, number | boolean> {
  const values: Record<string, number | boolean> = {};
  for (const p of points) {
    const value = image.getPoint(p.modelId, p.path);
    if (typeof value === 'number') values[p.path] = value;
  }
  return values;
}

/** A refused write's words by register address, as nothing could be decoded. */
function rawValues(address: number, values: readonly number[]): Record<string, number> {
  return Object.fromEntries(values.map((v, i) => [`@${address + i}`, v]));
}
