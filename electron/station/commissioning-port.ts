// What the station needs from the commissioning tools (scan, identify, read, write), in the
// API's own terms. runtime.ts supplies them on the station's LinkPool, so every request
// for a link the station polls waits in that link's one queue; tests may supply others.
import type {
  ApiErrorCode,
  FoundUnit,
  PointWritePlan,
  PointWriteResult,
  RegisterFunction,
  RegisterReading,
  SunspecReading,
} from '../../core/api/station-api';
import type { DeviceIdentity } from '../../core/points/snapshot';
import type { Result } from '../../core/result';

export interface ToolError {
  code: ApiErrorCode;
  message: string;
}

export type ToolResult<T> = Promise<Result<T, ToolError>>;

export interface ScanRun {
  unitIds: readonly number[];
  timeoutMs?: number;
  signal: AbortSignal;
  /** Before each probe (`unitId` about to be probed) and at the end (null). */
  onProgress(doneCount: number, unitId: number | null): void;
  onFound(unit: Omit<FoundUnit, 'existingDeviceId'>): void;
}

export interface ScanOutcome {
  /** Why the scan ended before probing every id (link lost, cancelled); null if it did not. */
  stopped: string | null;
  cancelled: boolean;
}

export interface PointWriteInput {
  model: number;
  point: string;
  value: number | string;
}

export interface CommissioningTools {
  /** The ids a scan probes when the request names none. */
  defaultUnitIds(): number[];
  /** The physical link of a Modbus URL (`modbus-tcp://host:port`), or why it has none. */
  linkOf(url: string): Result<string, ToolError>;
  identify(url: string): ToolResult<DeviceIdentity>;
  scan(url: string, run: ScanRun): ToolResult<ScanOutcome>;
  readSunspec(url: string): ToolResult<SunspecReading>;
  readRegisters(
    url: string,
    query: { function: RegisterFunction; address: number; count: number },
  ): ToolResult<RegisterReading>;
  planWrite(url: string, write: PointWriteInput): ToolResult<PointWritePlan>;
  writePoint(url: string, write: PointWriteInput): ToolResult<PointWriteResult>;
}
