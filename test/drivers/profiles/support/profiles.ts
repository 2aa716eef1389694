// Small profiles and points for tests, built from the same JSON shape as the files in
// resources/profiles/ so that they pass through the real validator.
import { resolvePoint } from '../../../../drivers/profiles/profile-checks';
import type { PointInput, ProfileInput } from '../../../../drivers/profiles/profile-schema';
import { parseProfile } from '../../../../drivers/profiles/profile-schema';
import type { DeviceProfile, ProfilePoint } from '../../../../drivers/profiles/profile-types';

export const TEST_DEFAULTS: ProfileInput['defaults'] = {
  unitId: 1,
  wordOrder: 'big',
  byteOrder: 'big',
  function: 3,
  maxReadRegisters: 125,
  maxGapRegisters: 10,
};

/** A resolved point with the test defaults (holding registers, big-endian). */
export function point(input: Partial<PointInput> & Pick<PointInput, 'type'>): ProfilePoint {
  return resolvePoint({ name: 'testValueW', address: 0, unit: 'W', ...input }, TEST_DEFAULTS);
}

/** A valid profile document (plain JSON) to mutate in tests. */
export function profileJson(
  points: readonly object[],
  overrides: Record<string, unknown> = {},
): any {
  return {
    schemaVersion: 1,
    id: 'test-device',
    manufacturer: 'Test Works',
    model: 'TW-1',
    description: 'A device that exists only in tests.',
    roles: ['battery'],
    source: {
      title: 'Test register map',
      url: 'https://example.org/tw-1.pdf',
      version: '1.0',
      addressing: '0-based',
    },
    defaults: { ...TEST_DEFAULTS },
    points: structuredClone(points),
    ...overrides,
  };
}

/** Parses a document built by profileJson; throws with the validator's message if invalid. */
export function testProfile(
  points: PointInput[],
  overrides: Record<string, unknown> = {},
): DeviceProfile {
  const parsed = parseProfile(profileJson(points, overrides), 'test-device.json');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
