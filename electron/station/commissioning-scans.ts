// Scans of links for unit ids. A scan runs in the background (a full 1–247 sweep takes
// over a minute), so scan.start answers at once and every step is pushed as a `scan`
// event. One scan per physical link at a time: two would only queue behind each other on
// the link and make both look slow.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../core/api/dispatcher';
import type { FoundUnit, ScanRequest, ScanStatus } from '../../core/api/station-api';
import type { Clock } from './station-clock';
import type { CommissioningTools } from './commissioning-port';

/** Finished scans kept for scan.get, so a page that reconnects can still show the result. */
const KEEP_FINISHED = 20;

interface Job {
  status: ScanStatus;
  abort: AbortController;
  done: Promise<void>;
}

export interface ScanRegistryDeps {
  tools: CommissioningTools;
  clock: Clock;
  emit(status: ScanStatus): void;
  /** The site device already at this unit (endpoint or serial number), if any. */
  existingDevice(unit: Omit<FoundUnit, 'existingDeviceId'>): string | null;
}

export class ScanRegistry {
  readonly #jobs = new Map<string, Job>();
  readonly #runningByLink = new Map<string, string>();

  constructor(private readonly deps: ScanRegistryDeps) {}

  start(request: ScanRequest): ScanStatus {
    const link = this.deps.tools.linkOf(request.url);
    if (!link.ok) throw new ApiError(link.error.code, link.error.message);
    const running = this.#runningByLink.get(link.value);
    if (running)
      throw new ApiError(
        'busy',
        `scan ${running} is still running on ${link.value}; cancel it first`,
      );
    const unitIds = request.unitIds ?? this.deps.tools.defaultUnitIds();
    const status: ScanStatus = {
      scanId: randomUUID(),
      url: request.url,
      link: link.value,
      state: 'running',
      totalCount: unitIds.length,
      doneCount: 0,
      currentUnitId: null,
      found: [],
      error: null,
      startedAtMs: this.deps.clock.nowMs(),
      finishedAtMs: null,
    };
    const job: Job = { status, abort: new AbortController(), done: Promise.resolve() };
    this.#jobs.set(status.scanId, job);
    this.#runningByLink.set(link.value, status.scanId);
    job.done = this.#run(job, unitIds, request.timeoutMs);
    return copy(status);
  }

  get(scanId: string): ScanStatus {
    return copy(this.#job(scanId).status);
  }

  cancel(scanId: string): ScanStatus {
    const job = this.#job(scanId);
    job.abort.abort();
    return copy(job.status);
  }

  /** Cancels every scan and waits until they have let go of their links. */
  async stop(): Promise<void> {
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) job.abort.abort();
    await Promise.all(jobs.map((j) => j.done));
  }

  async #run(job: Job, unitIds: number[], timeoutMs: number | undefined): Promise<void> {
    const { status } = job;
    try {
      const outcome = await this.deps.tools.scan(status.url, {
        unitIds,
        timeoutMs,
        signal: job.abort.signal,
        onProgress: (doneCount, unitId) => {
          status.doneCount = doneCount;
          status.currentUnitId = unitId;
          if (unitId !== null) this.deps.emit(copy(status));
        },
        onFound: (unit) => {
          status.found.push({ ...unit, existingDeviceId: this.deps.existingDevice(unit) });
          this.deps.emit(copy(status));
        },
      });
      if (!outcome.ok) {
        status.state = 'failed';
        status.error = outcome.error.message;
      } else {
        status.state = outcome.value.cancelled
          ? 'cancelled'
          : outcome.value.stopped
            ? 'failed'
            : 'done';
        status.error = outcome.value.cancelled ? null : outcome.value.stopped;
      }
    } catch (error) {
      status.state = 'failed';
      status.error = `the scan stopped unexpectedly: ${(error as Error).message}`;
    } finally {
      status.currentUnitId = null;
      status.finishedAtMs = this.deps.clock.nowMs();
      this.#runningByLink.delete(status.link);
      this.#forgetOld();
      this.deps.emit(copy(status));
    }
  }

  #job(scanId: string): Job {
    const job = this.#jobs.get(scanId);
    if (!job)
      throw new ApiError(
        'not_found',
        `no scan ${scanId} (finished scans are kept for a while only)`,
      );
    return job;
  }

  #forgetOld(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.status.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.#jobs.delete(job.status.scanId);
  }
}

/** Statuses handed out are snapshots: later progress must not change what a caller holds. */
function copy(status: ScanStatus): ScanStatus {
  return { ...status, found: [...status.found] };
}
