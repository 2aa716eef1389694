// The vocabulary of polling: what a device's points need (register ranges, each with a
// poll class) and what the planner turns them into (block reads). Addresses are 0-based
// wire addresses, as everywhere in drivers/modbus.

/** The table a read goes to, named by its function code: FC1 coils, FC2 discrete inputs, FC3 holding, FC4 input registers. */
export type ReadFc = 1 | 2 | 3 | 4;

/** fast: read every cycle (power, SoC, frequency); slow: every Nth cycle or M ms (energy counters, nameplate). */
export type PollClass = 'fast' | 'slow';

export interface RegisterRange {
  readonly fc: ReadFc;
  readonly address: number;
  /** Registers for FC3/FC4, bits for FC1/FC2. */
  readonly count: number;
}

export interface PolledRange extends RegisterRange {
  readonly pollClass: PollClass;
}

/** A span of needed registers inside a planned read. */
export interface Span {
  readonly address: number;
  readonly count: number;
  /** A range runs on from the previous span into this one: bisecting cuts elsewhere if it can. */
  readonly joined?: boolean;
}

/** One request: the hull of its spans, with gaps between them the planner judged cheap. */
export interface PlannedRead {
  readonly fc: ReadFc;
  readonly address: number;
  readonly count: number;
  /** Needed spans, sorted, disjoint; the first starts at `address`, the last ends at the hull's end. */
  readonly spans: readonly Span[];
}

export const isBitTable = (fc: ReadFc): boolean => fc === 1 || fc === 2;

export const rangeEnd = (r: { address: number; count: number }): number => r.address + r.count;
