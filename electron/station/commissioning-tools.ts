// The commissioning tools of drivers/commissioning on the station's own LinkPool, in the
// API's terms. Sharing the pool is the point: a scan or a test write on a link the station
// polls waits its turn in that link's one queue, instead of opening a second connection
// that a one-client inverter would refuse or a half-duplex bus would garble.
import type { ApiErrorCode, FoundUnit, SunspecModelPoints } from '../../core/api/station-api';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { fail, ok, type Result } from '../../core/result';
import { linkKey, parseDeviceUrl } from '../../core/site/device-url';
import type {
  CommissioningError,
  CommissioningErrorCode,
} from '../../drivers/commissioning/commissioning-error';
import { fromSunspecError } from '../../drivers/commissioning/commissioning-error';
import {
  openModbusTarget,
  READ_TIMEOUT_MS,
  type ModbusTarget,
} from '../../drivers/commissioning/modbus-target';
import { readSunspecDevice, type ModelReading } from '../../drivers/commissioning/read-device';
import { readRegisterWords } from '../../drivers/commissioning/registers';
import { scanUnits, type ScannedUnit } from '../../drivers/commissioning/scan';
import { defaultScanOrder } from '../../drivers/commissioning/unit-ids';
import {
  executePointWrite,
  planPointWrite,
  type PointWritePlan as DriverPlan,
} from '../../drivers/commissioning/write-point';
import type { LinkPool } from '../../drivers/modbus/link-pool';
import type { UnitClient } from '../../drivers/modbus/unit-client';
import { discoverSunspec, readIdentity } from '../../drivers/sunspec/discovery';
import type { CommissioningTools, PointWriteInput, ToolError } from './commissioning-port';

/** Refusals of the input keep their own codes; everything the device did is a device error. */
const API_CODES: Partial<Record<CommissioningErrorCode, ApiErrorCode>> = {
  bad_url: 'bad_request',
  unsupported_transport: 'bad_request',
  bad_unit_ids: 'bad_request',
  bad_request: 'bad_request',
  wrong_type: 'out_of_range',
  unknown_model: 'unknown_point',
  unknown_point: 'unknown_point',
  model_not_present: 'unknown_point',
  read_only: 'read_only',
  out_of_range: 'out_of_range',
  aborted: 'unavailable',
};

function toolError(error: CommissioningError): ToolError {
  return { code: API_CODES[error.code] ?? 'device_error', message: error.message };
}

export function createCommissioningTools(
  pool: LinkPool,
  now: () => number = Date.now,
): CommissioningTools {
  /** The unit a URL names, on the pool's shared link. */
  const open = (url: string): Result<{ target: ModbusTarget; unit: UnitClient }, ToolError> => {
    const target = openModbusTarget(url, { pool });
    if (!target.ok) return fail(toolError(target.error));
    return ok({
      target: target.value,
      unit: target.value.unit(target.value.unitId, READ_TIMEOUT_MS),
    });
  };

  return {
    defaultUnitIds: () => defaultScanOrder(),

    linkOf(url) {
      const parsed = parseDeviceUrl(url);
      if (!parsed.ok) return fail({ code: 'bad_request', message: parsed.error.message });
      if (parsed.value.kind === 'opcua')
        return fail({ code: 'bad_request', message: `${url} is not a Modbus endpoint` });
      return ok(linkKey(parsed.value));
    },

    async identify(url) {
      const opened = open(url);
      if (!opened.ok) return opened;
      const { unit } = opened.value;
      const ref = { endpoint: unit.endpoint, unitId: unit.unitId };
      const map = await discoverSunspec(unit);
      if (!map.ok) return fail(toolError(fromSunspecError(map.error, ref)));
      const identity = await readIdentity(unit, map.value);
      if (!identity.ok) return fail(toolError(fromSunspecError(identity.error, ref)));
      return ok(identityOf(identity.value));
    },

    async scan(url, run) {
      const target = openModbusTarget(url, { pool });
      if (!target.ok) return fail(toolError(target.error));
      const report = await scanUnits(target.value, {
        unitIds: run.unitIds,
        probeTimeoutMs: run.timeoutMs,
        signal: run.signal,
        now,
        onProgress: (p) => run.onProgress(p.done, p.unitId),
        onFound: (unit) => run.onFound(foundUnit(url, unit)),
      });
      if (!report.ok) return fail(toolError(report.error));
      const stopped = report.value.stopped;
      return ok({ stopped: stopped?.message ?? null, cancelled: stopped?.code === 'aborted' });
    },

    async readSunspec(url) {
      const opened = open(url);
      if (!opened.ok) return opened;
      const reading = await readSunspecDevice(opened.value.unit);
      if (!reading.ok) return fail(toolError(reading.error));
      return ok({
        url,
        baseAddress: reading.value.baseAddress,
        models: reading.value.models.map(modelPoints),
        readAtMs: now(),
      });
    },

    async readRegisters(url, query) {
      const opened = open(url);
      if (!opened.ok) return opened;
      const words = await readRegisterWords(opened.value.unit, {
        fc: query.function,
        address: query.address,
        count: query.count,
      });
      if (!words.ok) return fail(toolError(words.error));
      return ok({
        url,
        function: query.function,
        address: query.address,
        values: words.value.map((w) => w.value),
        readAtMs: now(),
      });
    },

    async planWrite(url, write) {
      const planned = await plan(url, write);
      return planned.ok ? ok(planOf(url, planned.value.plan)) : planned;
    },

    async writePoint(url, write) {
      const planned = await plan(url, write);
      if (!planned.ok) return planned;
      const outcome = await executePointWrite(planned.value.unit, planned.value.plan);
      if (!outcome.ok) return fail(toolError(outcome.error));
      return ok({
        ...planOf(url, outcome.value.plan),
        readBackValue: outcome.value.readBack,
        confirmed: outcome.value.matches,
      });
    },
  };

  async function plan(
    url: string,
    write: PointWriteInput,
  ): Promise<Result<{ unit: UnitClient; plan: DriverPlan }, ToolError>> {
    const opened = open(url);
    if (!opened.ok) return opened;
    const { unit } = opened.value;
    const planned = await planPointWrite(unit, {
      modelId: write.model,
      point: write.point,
      value: String(write.value),
    });
    return planned.ok ? ok({ unit, plan: planned.value }) : fail(toolError(planned.error));
  }
}

function planOf(url: string, plan: DriverPlan) {
  return {
    url,
    model: plan.modelId,
    point: plan.point,
    units: plan.units,
    address: plan.address,
    words: plan.words,
    previousValue: plan.oldValue,
    requestedValue: plan.newValue,
  };
}

function identityOf(identity: {
  manufacturer: string | null;
  model: string | null;
  serialNumber: string | null;
  version: string | null;
}): DeviceIdentity {
  const { manufacturer, model, serialNumber, version } = identity;
  return { manufacturer, model, serialNumber, version };
}

/** The scanned URL with the found unit's id: a device URL ready for devices.add. */
export function unitUrl(url: string, unitId: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('unit', String(unitId));
  return parsed.toString();
}

function foundUnit(url: string, unit: ScannedUnit): Omit<FoundUnit, 'existingDeviceId'> {
  return {
    unitId: unit.unitId,
    url: unitUrl(url, unit.unitId),
    identity: unit.identity ? identityOf(unit.identity) : null,
    baseAddress: unit.sunspec?.baseAddress ?? null,
    models: (unit.sunspec?.models ?? []).map((m) => ({
      id: m.id,
      name: m.name,
      label: m.label,
      address: m.address,
      lengthRegs: m.length,
    })),
    problem: unit.problem?.message ?? null,
  };
}

function modelPoints(model: ModelReading): SunspecModelPoints {
  return {
    id: model.id,
    name: model.name,
    label: model.label,
    address: model.address,
    lengthRegs: model.length,
    points: (model.points ?? []).map((row) => ({
      name: row.path,
      value: row.value,
      units: row.units,
      type: row.type,
      symbol: row.symbol,
      writable: row.access === 'rw',
    })),
    error: model.problem?.message ?? null,
  };
}
