// A device's pending writes. Writes submitted between cycles go out at the start of the
// next cycle, before its reads, in the order submitted; the reads of that cycle then see
// what the writes changed. A write with a key replaces a pending one with the same key
// (only the newest set point matters; the replaced caller learns it was superseded), so a
// controller re-writing a set point to a device that is away cannot pile writes up.
import { fail, type Result } from '../../core/result';

export interface QueueRefusal {
  code: 'superseded' | 'closed';
  message: string;
}

export type WriteJob<Io, T, E> = (io: Io) => Promise<Result<T, E>>;

interface Entry<Io> {
  key: string | undefined;
  run: (io: Io) => Promise<void>;
  refuse: (refusal: QueueRefusal) => void;
}

export class WriteQueue<Io> {
  private pending: Entry<Io>[] = [];
  private closed = false;

  get size(): number {
    return this.pending.length;
  }

  submit<T, E>(job: WriteJob<Io, T, E>, key?: string): Promise<Result<T, E | QueueRefusal>> {
    if (this.closed)
      return Promise.resolve(fail({ code: 'closed', message: 'the device poller is closed' }));
    return new Promise((resolve, reject) => {
      if (key !== undefined) {
        const older = this.pending.findIndex((e) => e.key === key);
        if (older >= 0) {
          this.pending[older]!.refuse({
            code: 'superseded',
            message: `a newer write replaced ${key}`,
          });
          this.pending.splice(older, 1);
        }
      }
      this.pending.push({
        key,
        // A job that throws rejects its own caller only; the cycle goes on.
        run: (io) => Promise.resolve(io).then(job).then(resolve, reject),
        refuse: (refusal) => resolve(fail(refusal)),
      });
    });
  }

  /** Runs the writes pending now, one after another; writes submitted meanwhile wait for the next call. */
  async runPending(io: Io): Promise<number> {
    const batch = this.pending;
    this.pending = [];
    for (const entry of batch) await entry.run(io);
    return batch.length;
  }

  /** Settles every pending write with 'closed'; later submits are refused at once. */
  close(): void {
    this.closed = true;
    for (const entry of this.pending.splice(0))
      entry.refuse({ code: 'closed', message: 'the device poller is closed' });
  }
}
