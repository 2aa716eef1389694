// Executes a read plan, learning from refusals. A block the device refuses (exception 02,
// or 03 on a read) is bisected at a span boundary and both halves are tried:
// - a single span refused → its registers are refused (the ranges in it are unreadable);
// - both halves read fine → the device refuses the gap between them, or reading across
//   it (a boundary), and no later block crosses it.
// Every refusal of a planned block therefore teaches something the plan did not know, so
// re-planning converges: at most one refused request per span and per gap, then none.
// Any other failure (timeout, link down, device failure) ends the read: the caller's cycle
// fails, as it would for a single read.
import { fail, ok, type Result } from '../../core/result';
import { BlockValues } from './block-values';
import type { ModbusUnit } from './modbus-unit';
import { planReads, splitRead, type PlanOptions } from './poll-planner';
import type { RefusalMemory } from './poll-refusals';
import { rangeEnd, type PlannedRead, type ReadFc, type RegisterRange } from './poll-types';
import type { ModbusError, ModbusResult } from './unit-client';

export interface BlockReadPort {
  read(
    fc: ReadFc,
    address: number,
    count: number,
  ): Promise<ModbusResult<ArrayLike<number | boolean>>>;
}

export type ReadUnit = Pick<
  ModbusUnit,
  'readCoils' | 'readDiscreteInputs' | 'readHoldingRegisters' | 'readInputRegisters'
>;

export function unitReadPort(unit: ReadUnit): BlockReadPort {
  return {
    read(fc, address, count) {
      switch (fc) {
        case 1:
          return unit.readCoils(address, count);
        case 2:
          return unit.readDiscreteInputs(address, count);
        case 3:
          return unit.readHoldingRegisters(address, count);
        case 4:
          return unit.readInputRegisters(address, count);
      }
    },
  };
}

export type BlockReadOptions = Omit<PlanOptions, 'refused'>;

export interface ReadOutcome<R extends RegisterRange> {
  readonly values: BlockValues;
  /** Ranges with a register the device refuses, known before or learned now. */
  readonly unreadable: readonly R[];
  readonly invalid: readonly R[];
  /** Requests sent, retries of refused blocks included. */
  readonly requests: number;
  /** Refusals learned by this call. */
  readonly learned: number;
}

/** Exception 02 (no such register) or 03 (bad quantity): the device is there and says no. */
export function isReadRefusal(error: ModbusError): boolean {
  return error.code === 'illegal_address' || error.code === 'illegal_value';
}

export async function readRanges<R extends RegisterRange>(
  port: BlockReadPort,
  ranges: readonly R[],
  refusals: RefusalMemory,
  options: BlockReadOptions = {},
  nowMs: () => number = Date.now,
): Promise<Result<ReadOutcome<R>, ModbusError>> {
  const plan = planReads(ranges, { ...options, refused: refusals.check(nowMs()) });
  const values = new BlockValues();
  let requests = 0;
  let learned = 0;

  const refuse = (fc: ReadFc, from: number, to: number): void => {
    if (refusals.add(fc, from, to, nowMs())) learned++;
  };

  /** ok(true) when the block or a part of it was refused (and that was learned). */
  const readBlock = async (read: PlannedRead): Promise<Result<boolean, ModbusError>> => {
    requests++;
    const reply = await port.read(read.fc, read.address, read.count);
    if (reply.ok) {
      values.set(read.fc, read.address, reply.value);
      return ok(false);
    }
    if (!isReadRefusal(reply.error)) return fail(reply.error);
    const halves = splitRead(read);
    if (!halves) {
      refuse(read.fc, read.address, rangeEnd(read));
      return ok(true);
    }
    const [left, right] = halves;
    const l = await readBlock(left);
    if (!l.ok) return l;
    const r = await readBlock(right);
    if (!r.ok) return r;
    if (!l.value && !r.value) refuse(read.fc, rangeEnd(left), right.address);
    return ok(true);
  };

  for (const read of plan.reads) {
    const done = await readBlock(read);
    if (!done.ok) return done;
  }
  const known = new Set<R>([...plan.unreadable, ...plan.invalid]);
  const unreadable = [...plan.unreadable, ...ranges.filter((r) => !known.has(r) && !values.has(r))];
  return ok({ values, unreadable, invalid: plan.invalid, requests, learned });
}
