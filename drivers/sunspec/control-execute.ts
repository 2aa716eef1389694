// The write phase of a SunSpec control command (control-writes.ts prepares it): check the
// model header and read the scale factors in one block, encode, write adjacent points in
// one FC16 each in the order given, read the written registers back and compare.
import { fail, ok, type Result } from '../../core/result';
import type { PollIo } from '../modbus/poll-engine';
import type { PolledRange } from '../modbus/poll-types';
import { MAX_WRITE_REGISTERS } from '../modbus/unit-client';
import {
  controlError,
  encodeTarget,
  type ControlError,
  type ControlOutcome,
  type ControlTarget,
  type PreparedControl,
} from './control-writes';
import type { SunspecInput } from './model-types';
import { decodeSunssf } from './point-decode';

interface Chunk {
  address: number;
  words: number[];
  targets: ControlTarget[];
}

const names = (chunks: readonly Chunk[]): string[] =>
  chunks.flatMap((c) => c.targets.map((t) => t.point.name));

/** Runs in the device's write phase (PollEngine.submitWrite). */
export async function executeControl(
  io: PollIo,
  prepared: PreparedControl,
): Promise<Result<ControlOutcome, ControlError>> {
  const { model, targets } = prepared;
  const modelId = model.id;
  const header: PolledRange = { fc: 3, address: model.address, count: 2, pollClass: 'fast' };
  const sfRanges = [...new Set(targets.map((t) => t.sfAddress).filter((a) => a !== null))].map(
    (address): PolledRange => ({ fc: 3, address, count: 1, pollClass: 'fast' }),
  );
  const check = await io.readRanges([header, ...sfRanges]);
  if (!check.ok)
    return fail(
      controlError(
        'write_failed',
        `checking model ${modelId} before writing: ${check.error.message}`,
        {
          modelId,
          written: [],
          cause: check.error,
        },
      ),
    );
  const found = check.value.values.words(header);
  if (!found || found[0] !== modelId || found[1] !== model.length) {
    const what = found ? `ID ${found[0]} L=${found[1]}` : 'an unreadable header';
    return fail(
      controlError(
        'stale_map',
        `expected model ${modelId} (L=${model.length}) at ${model.address}, found ${what}: nothing written`,
        { modelId, written: [] },
      ),
    );
  }
  const chunks: Chunk[] = [];
  for (const target of targets) {
    const sfWords =
      target.sfAddress === null
        ? null
        : check.value.values.words({ fc: 3, address: target.sfAddress, count: 1 });
    const encoded = encodeTarget(model, target, sfWords ? decodeSunssf(sfWords, 0) : null);
    if (!encoded.ok) return fail({ ...encoded.error, written: [] });
    const last = chunks[chunks.length - 1];
    if (
      last &&
      last.address + last.words.length === target.address &&
      last.words.length + encoded.value.length <= MAX_WRITE_REGISTERS
    ) {
      last.words.push(...encoded.value);
      last.targets.push(target);
    } else chunks.push({ address: target.address, words: [...encoded.value], targets: [target] });
  }
  for (const [i, chunk] of chunks.entries()) {
    const reply = await io.writeRegisters(chunk.address, chunk.words);
    if (!reply.ok) {
      const what = names([chunk]);
      return fail(
        controlError(
          'write_failed',
          `writing ${what.join(', ')} of model ${modelId}: ${reply.error.message}`,
          {
            modelId,
            point: what[0],
            written: names(chunks.slice(0, i)),
            cause: reply.error,
          },
        ),
      );
    }
  }
  return readBack(io, prepared, chunks);
}

async function readBack(
  io: PollIo,
  prepared: PreparedControl,
  chunks: readonly Chunk[],
): Promise<Result<ControlOutcome, ControlError>> {
  const modelId = prepared.model.id;
  const written = names(chunks);
  const ranges = chunks.map((c): PolledRange => ({
    fc: 3,
    address: c.address,
    count: c.words.length,
    pollClass: 'fast',
  }));
  const back = await io.readRanges(ranges);
  if (!back.ok)
    return fail(
      controlError('write_failed', `reading back model ${modelId}: ${back.error.message}`, {
        modelId,
        written,
        cause: back.error,
      }),
    );
  const points: { point: string; value: SunspecInput; verified: boolean }[] = [];
  const differ: string[] = [];
  chunks.forEach((chunk, i) => {
    const words = back.value.values.words(ranges[i]!);
    let at = 0;
    for (const target of chunk.targets) {
      const size = target.point.size;
      const same =
        words !== null && chunk.words.slice(at, at + size).every((w, k) => words[at + k] === w);
      if (words && !same) differ.push(target.point.name);
      points.push({ point: target.point.name, value: target.value, verified: same });
      at += size;
    }
  });
  if (differ.length > 0)
    return fail(
      controlError(
        'readback_mismatch',
        `model ${modelId}: the device holds other values for ${differ.join(', ')} than were written`,
        { modelId, point: differ[0], written },
      ),
    );
  return ok({ modelId, points });
}
