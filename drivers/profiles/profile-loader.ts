// Reads profiles from a directory (resources/profiles/ in a checkout). The directory is
// passed in because where resources live differs between a checkout, tests and a packaged
// app. A profile's id must equal its file name, so a site's `profile` names one file.
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fail, ok, type Problem, type Result } from '../../core/result';
import { parseProfileJson } from './profile-schema';
import type { DeviceProfile } from './profile-types';

export type ProfileLoadError = Problem & {
  code: 'unknown_profile' | 'unreadable_profile' | 'invalid_profile';
};

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** How a file is named in messages: relative to the working directory when inside it. */
export function fileLabel(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Ids of the profile files in `dir`, sorted; an unreadable directory has none. */
export function profileIds(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

export function loadProfile(dir: string, id: string): Result<DeviceProfile, ProfileLoadError> {
  // Checked before building a path, so an id can never point outside the directory.
  if (!ID.test(id))
    return fail({
      code: 'unknown_profile',
      message: `device profile "${id}" is not a kebab-case id`,
    });
  const file = join(dir, `${id}.json`);
  const label = fileLabel(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    return fail({
      code: missing ? 'unknown_profile' : 'unreadable_profile',
      message: missing
        ? `unknown device profile "${id}" (no ${label})`
        : `cannot read ${label}: ${(cause as Error).message}`,
    });
  }
  const parsed = parseProfileJson(text, label);
  if (!parsed.ok) return parsed;
  if (parsed.value.id !== id)
    return fail({
      code: 'invalid_profile',
      path: 'id',
      message: `${label}: id: "${parsed.value.id}" must equal the file name "${id}"`,
    });
  return ok(parsed.value);
}

/** Every profile in `dir`; files that fail are reported, the others still load. */
export function loadProfiles(dir: string): {
  profiles: DeviceProfile[];
  problems: ProfileLoadError[];
} {
  const profiles: DeviceProfile[] = [];
  const problems: ProfileLoadError[] = [];
  for (const id of profileIds(dir)) {
    const loaded = loadProfile(dir, id);
    if (loaded.ok) profiles.push(loaded.value);
    else problems.push(loaded.error);
  }
  return { profiles, problems };
}
