// Everything a SunSpec unit offers, decoded: discovery, then each model (or just the one
// asked for) read and flattened into rows. A model that cannot be read does not hide the
// others: it carries its own problem, and the caller decides whether that is a failure.
import { fail, ok, type Result } from '../../core/result';
import type { UnitClient } from '../modbus/unit-client';
import { discoverSunspec, readModel, type SunspecMap } from '../sunspec/discovery';
import { getModelDef } from '../sunspec/model-table';
import {
  commissioningError,
  fromSunspecError,
  refOf,
  type CommissioningError,
} from './commissioning-error';
import { modelRows, type PointRow } from './point-rows';

export interface ReadOptions {
  /** Only this model (every occurrence of it). */
  modelId?: number;
  /** A map discovered before, to save the discovery reads. */
  map?: SunspecMap;
  signal?: AbortSignal;
  /** After each model, e.g. for a progress bar in the UI. */
  onProgress?: (progress: { done: number; total: number; modelId: number }) => void;
}

export interface ModelReading {
  id: number;
  name: string | null;
  label: string | null;
  /** Address of the model's ID register (0-based). */
  address: number;
  length: number;
  /** Null when the model could not be read or has no definition (vendor model). */
  points: PointRow[] | null;
  problem: CommissioningError | null;
}

export interface DeviceReading {
  endpoint: string;
  unitId: number;
  baseAddress: number;
  models: ModelReading[];
}

export async function readSunspecDevice(
  unit: UnitClient,
  options: ReadOptions = {},
): Promise<Result<DeviceReading, CommissioningError>> {
  const ref = refOf(unit);
  if (options.modelId !== undefined && !getModelDef(options.modelId)) {
    return fail(
      commissioningError(
        'unknown_model',
        `the station has no definition of model ${options.modelId}`,
      ),
    );
  }
  let map = options.map;
  if (!map) {
    const discovered = await discoverSunspec(unit);
    if (!discovered.ok) return fail(fromSunspecError(discovered.error, ref));
    map = discovered.value;
  }
  const entries = map.models.filter(
    (m) => options.modelId === undefined || m.id === options.modelId,
  );
  if (entries.length === 0) {
    return fail(
      commissioningError(
        'model_not_present',
        `unit ${ref.unitId} at ${ref.endpoint} has no model ${options.modelId} (it has ${map.models.map((m) => m.id).join(', ')})`,
      ),
    );
  }
  const models: ModelReading[] = [];
  for (const entry of entries) {
    const reading: ModelReading = {
      id: entry.id,
      name: entry.def?.name ?? null,
      label: entry.def?.label ?? null,
      address: entry.address,
      length: entry.length,
      points: null,
      problem: null,
    };
    if (!entry.def) {
      reading.problem = commissioningError(
        'unknown_model',
        `model ${entry.id} at ${entry.address} is not a SunSpec model the station knows (vendor model?)`,
      );
    } else {
      const decoded = await readModel(unit, entry);
      if (decoded.ok) reading.points = modelRows(entry.def, decoded.value);
      else reading.problem = fromSunspecError(decoded.error, ref);
    }
    models.push(reading);
    options.onProgress?.({ done: models.length, total: entries.length, modelId: entry.id });
    const code = reading.problem?.code;
    if (code === 'aborted' || code === 'unreachable') return fail(reading.problem!);
  }
  return ok({
    endpoint: ref.endpoint,
    unitId: unit.unitId,
    baseAddress: map.baseAddress,
    models,
  });
}
