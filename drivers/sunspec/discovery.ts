// SunSpec discovery: find the 'SunS' marker, then walk the chain of model headers
// (ID, L, body…) to the end marker. Real devices are untidy, so the walk tolerates a
// missing end marker, and refuses what can only be garbage (a length running off the
// address space, hundreds of models, a chain leading back to the marker) with typed
// errors rather than looping or reading nonsense. Addresses are 0-based wire addresses;
// SunSpec's own "40000" is already one.
import { fail, ok, type Result } from '../../core/result';
import { MAX_READ_REGISTERS, type ModbusError, type RegisterReader } from '../modbus/unit-client';
import { BlockReader, isAddressRefusal, isLinkDown } from './block-reader';
import { decodeModel } from './decode';
import { getModelDef } from './model-table';
import type { DecodedModel, SunspecModelDef } from './model-types';
import { sunspecError, type SunspecError } from './sunspec-error';

export const SUNSPEC_MARKER = [0x5375, 0x6e53] as const; // 'SunS'
export const DEFAULT_BASE_ADDRESSES = [40000, 0, 50000] as const;
const END_MARKER = 0xffff;
const ADDRESS_SPACE = 0x10000;

export interface SunspecModelEntry {
  readonly id: number;
  /** Register address of the model's ID register. */
  readonly address: number;
  /** L: body length in registers, without the 2-register header. */
  readonly length: number;
  /** Null for models the station has no definition for (vendor models). */
  readonly def: SunspecModelDef | null;
}

export interface SunspecMap {
  /** Register address of the 'SunS' marker. */
  readonly baseAddress: number;
  readonly models: readonly SunspecModelEntry[];
}

export interface DiscoveryOptions {
  /** Where to look for the marker, in order. */
  baseAddresses?: readonly number[];
  /** More models than this is taken as garbage. */
  maxModels?: number;
  /** Registers per read while walking the chain (≤ 125); smaller suits slow RTU links. */
  blockRegs?: number;
  /**
   * The device is known to end its chain without 0xFFFF and may not answer at all past its
   * last model (quirks.ts): after a model, any failed header read except a dead link ends
   * the chain, and the walk reads only headers (blockRegs 2 unless given) so that the one
   * read past the end is the only one that can time out.
   */
  missingEndMarker?: boolean;
}

const describe = (error: ModbusError) => `${error.code}: ${error.message}`;

async function walkChain(
  blocks: BlockReader,
  base: number,
  maxModels: number,
  missingEndMarker: boolean,
): Promise<Result<SunspecMap, SunspecError>> {
  const models: SunspecModelEntry[] = [];
  let address = base + SUNSPEC_MARKER.length;
  while (address + 2 <= ADDRESS_SPACE) {
    const header = await blocks.read(address, 2);
    if (!header.ok) {
      // A device without an end marker refuses the registers after its last model.
      const ends =
        isAddressRefusal(header.error) || (missingEndMarker && !isLinkDown(header.error));
      if (ends && models.length > 0) break;
      const code = isAddressRefusal(header.error) ? 'truncated_chain' : 'read_failed';
      return fail(
        sunspecError(code, `reading the model header at ${address}: ${describe(header.error)}`, {
          address,
          cause: header.error,
        }),
      );
    }
    const [id = 0, length = 0] = header.value;
    // 0xFFFF is the end marker; all-zero registers past the last model end it as well.
    if (id === END_MARKER || id === 0) break;
    if (id === SUNSPEC_MARKER[0] && length === SUNSPEC_MARKER[1]) {
      return fail(
        sunspecError('loop', `the model chain leads back to a 'SunS' marker at ${address}`, {
          address,
        }),
      );
    }
    if (models.length >= maxModels) {
      return fail(
        sunspecError(
          'too_many_models',
          `more than ${maxModels} models after the marker at ${base}`,
          { address },
        ),
      );
    }
    const next = address + 2 + length;
    if (next > ADDRESS_SPACE) {
      return fail(
        sunspecError(
          'bad_length',
          `model ${id} at ${address} declares L=${length}, which runs past register 65535`,
          {
            address,
            modelId: id,
          },
        ),
      );
    }
    models.push({ id, address, length, def: getModelDef(id) ?? null });
    address = next;
  }
  if (models.length === 0) {
    return fail(
      sunspecError('truncated_chain', `a 'SunS' marker at ${base} but no model after it`, {
        address: base,
      }),
    );
  }
  return ok({ baseAddress: base, models });
}

/**
 * Finds the SunSpec map of one unit. A base address that answers "illegal address", times
 * out or holds no marker moves the probe on to the next; a link that is down ends it.
 */
export async function discoverSunspec(
  reader: RegisterReader,
  options: DiscoveryOptions = {},
): Promise<Result<SunspecMap, SunspecError>> {
  const bases = options.baseAddresses ?? DEFAULT_BASE_ADDRESSES;
  const defaultBlock = options.missingEndMarker ? 2 : MAX_READ_REGISTERS;
  const blockRegs = Math.min(options.blockRegs ?? defaultBlock, MAX_READ_REGISTERS);
  const tried: string[] = [];
  let cause: ModbusError | undefined;
  for (const base of bases) {
    // A base from a person (commissioning) can be anything; the link throws on such reads.
    if (!Number.isInteger(base) || base < 0 || base + 4 > ADDRESS_SPACE) {
      tried.push(`${base}: not a possible base address`);
      continue;
    }
    const blocks = new BlockReader(reader, blockRegs);
    // Marker and the first model header in one request: every SunSpec device has both.
    const start = await blocks.read(base, 4);
    if (!start.ok) {
      if (isLinkDown(start.error)) {
        return fail(
          sunspecError('read_failed', `probing ${base}: ${describe(start.error)}`, {
            address: base,
            cause: start.error,
          }),
        );
      }
      tried.push(`${base}: ${start.error.code}`);
      cause = start.error;
      continue;
    }
    if (start.value[0] !== SUNSPEC_MARKER[0] || start.value[1] !== SUNSPEC_MARKER[1]) {
      tried.push(`${base}: no marker`);
      continue;
    }
    return walkChain(blocks, base, options.maxModels ?? 256, options.missingEndMarker ?? false);
  }
  return fail(
    sunspecError(
      'no_marker',
      `no SunSpec 'SunS' marker found (${tried.join('; ')})`,
      cause ? { cause } : {},
    ),
  );
}

/**
 * Reads and decodes one model, header included (≤ 125 registers per request), and checks
 * that the header still says what discovery found, since a device may renumber its map
 * after a firmware update or reboot.
 */
export async function readModel(
  reader: RegisterReader,
  entry: SunspecModelEntry,
): Promise<Result<DecodedModel, SunspecError>> {
  const where = { modelId: entry.id, address: entry.address };
  if (!entry.def)
    return fail(
      sunspecError('unknown_model', `no definition for SunSpec model ${entry.id}`, where),
    );
  const total = entry.length + 2;
  const words = new Uint16Array(total);
  for (let offset = 0; offset < total; offset += MAX_READ_REGISTERS) {
    const count = Math.min(MAX_READ_REGISTERS, total - offset);
    const reply = await reader.readHoldingRegisters(entry.address + offset, count);
    if (!reply.ok || reply.value.length < count) {
      const why = reply.ok
        ? `got ${reply.value.length} of ${count} registers`
        : describe(reply.error);
      const extra = reply.ok ? where : { ...where, cause: reply.error };
      return fail(
        sunspecError(
          'read_failed',
          `reading model ${entry.id} at ${entry.address + offset}: ${why}`,
          extra,
        ),
      );
    }
    words.set(reply.value.subarray(0, count), offset);
  }
  if (words[0] !== entry.id || words[1] !== entry.length) {
    return fail(
      sunspecError(
        'stale_map',
        `expected model ${entry.id} (L=${entry.length}) at ${entry.address}, found ID ${words[0]} L=${words[1]}`,
        where,
      ),
    );
  }
  return decodeModel(entry.def, words.subarray(2), entry.length);
}

export interface SunspecIdentity {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly options: string | null;
  readonly version: string | null;
  readonly serialNumber: string | null;
  /** Modbus device address the device reports (DA), if it implements it. */
  readonly deviceAddress: number | null;
}

/** Identity from the first common model (1); some devices repeat model 1 per sub-device. */
export async function readIdentity(
  reader: RegisterReader,
  map: SunspecMap,
): Promise<Result<SunspecIdentity, SunspecError>> {
  const entry = map.models.find((m) => m.id === 1);
  if (!entry)
    return fail(
      sunspecError('no_common_model', `no common model (1) in the map at ${map.baseAddress}`),
    );
  const model = await readModel(reader, entry);
  if (!model.ok) return model;
  const text = (name: string) => {
    const value = model.value.points[name];
    return typeof value === 'string' ? value : null;
  };
  const da = model.value.points.DA;
  return ok({
    manufacturer: text('Mn'),
    model: text('Md'),
    options: text('Opt'),
    version: text('Vr'),
    serialNumber: text('SN'),
    deviceAddress: typeof da === 'number' ? da : null,
  });
}
