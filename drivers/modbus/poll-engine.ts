// One device's poll cycle over its unit: first the writes submitted since the last cycle
// (in order), then the reads of the classes that are due, planned as merged blocks and
// executed with refusal learning. The engine knows registers, not meanings: a driver
// (e.g. the SunSpec poller) says which ranges its points need and decodes the values.
import type { Result } from '../../core/result';
import { BlockValues } from './block-values';
import {
  readRanges,
  unitReadPort,
  type BlockReadOptions,
  type BlockReadPort,
  type ReadOutcome,
  type ReadUnit,
} from './block-reads';
import type { ModbusUnit } from './modbus-unit';
import { DEFAULT_REFUSAL_TTL_MS, RefusalMemory } from './poll-refusals';
import { PollSchedule, type SlowPolicy } from './poll-schedule';
import type { PollClass, PolledRange, RegisterRange } from './poll-types';
import { WriteQueue, type QueueRefusal, type WriteJob } from './poll-write-queue';
import type { ModbusError, ModbusResult } from './unit-client';

export type PollUnit = ReadUnit & Pick<ModbusUnit, 'writeRegisters' | 'writeCoils'>;

/** What a write job may do during the write phase of a cycle. */
export interface PollIo {
  /** Block reads with the device's refusal memory, e.g. to check a header or read back. */
  readRanges<R extends RegisterRange>(
    ranges: readonly R[],
  ): Promise<Result<ReadOutcome<R>, ModbusError>>;
  /** FC16. */
  writeRegisters(address: number, values: readonly number[]): Promise<ModbusResult<void>>;
  /** FC15. */
  writeCoils(address: number, values: readonly boolean[]): Promise<ModbusResult<void>>;
}

export interface PollEngineOptions extends BlockReadOptions {
  slow?: Partial<SlowPolicy>;
  refusalTtlMs?: number;
  nowMs?: () => number;
}

export interface CycleResult<R extends PolledRange> {
  /** What this cycle read. */
  readonly values: BlockValues;
  /** The classes read this cycle. */
  readonly classes: ReadonlySet<PollClass>;
  readonly unreadable: readonly R[];
  readonly invalid: readonly R[];
  /** Requests this cycle sent: writes, their checks, and reads. */
  readonly requests: number;
  /** Write jobs run at the start of the cycle. */
  readonly writes: number;
}

export class PollEngine {
  readonly refusals: RefusalMemory;
  private readonly schedule: PollSchedule;
  private readonly queue = new WriteQueue<PollIo>();
  private readonly latestValues = new BlockValues();
  private readonly port: BlockReadPort;
  private readonly io: PollIo;
  private readonly nowMs: () => number;
  private requestCount = 0;

  constructor(
    unit: PollUnit,
    private readonly options: PollEngineOptions = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.refusals = new RefusalMemory(options.refusalTtlMs ?? DEFAULT_REFUSAL_TTL_MS);
    this.schedule = new PollSchedule(options.slow);
    const reads = unitReadPort(unit);
    this.port = {
      read: (fc, address, count) => {
        this.requestCount++;
        return reads.read(fc, address, count);
      },
    };
    this.io = {
      readRanges: (ranges) =>
        readRanges(this.port, ranges, this.refusals, this.options, this.nowMs),
      writeRegisters: (address, values) => {
        this.requestCount++;
        return unit.writeRegisters(address, values);
      },
      writeCoils: (address, values) => {
        this.requestCount++;
        return unit.writeCoils(address, values);
      },
    };
  }

  /** Requests sent since the engine was made. */
  get requests(): number {
    return this.requestCount;
  }

  get pendingWrites(): number {
    return this.queue.size;
  }

  /** Queues a write for the start of the next cycle; a newer write with the same key replaces it. */
  submitWrite<T, E>(
    job: WriteJob<PollIo, T, E>,
    key?: string,
  ): Promise<Result<T, E | QueueRefusal>> {
    return this.queue.submit(job, key);
  }

  /** Every value read so far (newest wins); registers found unreadable are dropped. */
  latest(): Pick<BlockValues, 'words' | 'bits' | 'has'> {
    return this.latestValues;
  }

  async runCycle<R extends PolledRange>(
    ranges: readonly R[],
  ): Promise<Result<CycleResult<R>, ModbusError>> {
    const before = this.requestCount;
    const writes = await this.queue.runPending(this.io);
    const classes = this.schedule.due(this.nowMs());
    const due = ranges.filter((r) => classes.has(r.pollClass));
    const read = await this.io.readRanges(due);
    if (!read.ok) {
      this.schedule.completed(new Set(), this.nowMs());
      return read;
    }
    this.latestValues.merge(read.value.values);
    for (const r of read.value.unreadable) this.latestValues.delete(r);
    this.schedule.completed(classes, this.nowMs());
    return {
      ok: true,
      value: {
        values: read.value.values,
        classes,
        unreadable: read.value.unreadable,
        invalid: read.value.invalid,
        requests: this.requestCount - before,
        writes,
      },
    };
  }

  /** After the device changed (re-discovery): forget refusals, values and the slow schedule. */
  reset(): void {
    this.refusals.clear();
    this.schedule.reset();
    this.latestValues.clear();
  }

  /** Pending writes settle with 'closed'. */
  close(): void {
    this.queue.close();
  }
}
