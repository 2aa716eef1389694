// Which parameters and mode control starts with, from what station.db holds for the site.
//
// Parameters: the stored ones, if they still parse and still validate against the site as
// it is now (its grid limits may have been lowered since); otherwise the defaults, and the
// reason becomes a history entry and an alarm until an operator saves parameters again.
//
// Mode: a site PC reboots after a power cut, often in the very outage in which the island
// needs the station to shed loads and curtail PV. So a stored `auto` resumes on its own,
// but only when nothing changed under it: the site the station starts with has the same
// hash as the one running when auto was last saved (a changed site file, devices swapped
// while the station was off, comes up in monitor), and the stored parameters were taken.
// Otherwise, and without stored settings, a site from a file starts in monitor; the demo
// always starts in auto.
import type { ControlMode } from '../../core/api/control-api';
import { controlConfigPatchSchema } from '../../core/api/control-schema';
import { defaultControlConfig, type ControlConfig } from '../../core/control/control-config';
import { applyControlPatch, FIXED_FIELDS } from '../../core/control/control-config-edit';
import type { StoredControlSettings } from '../../core/control/control-settings-repository';
import type { Site } from '../../core/site/site-types';
import { formatPath } from '../../core/site/site-schema';

export interface StartInput {
  stored: StoredControlSettings | null;
  site: Site;
  siteHash: string;
  /** Without stored settings (and always when resumeMode is false). */
  defaultMode: ControlMode;
  /** Whether a stored mode may resume: not for the demo, which always starts in auto. */
  resumeMode: boolean;
}

export interface StartSettings {
  config: ControlConfig;
  mode: ControlMode;
  /** Why the stored parameters were not taken; null if they were or none were stored. */
  problem: string | null;
  /** What was restored, for the log and the control history; null if nothing was stored. */
  detail: string | null;
}

export function startSettings(input: StartInput): StartSettings {
  const defaults = defaultControlConfig(input.site);
  const { stored } = input;
  if (!stored) return { config: defaults, mode: input.defaultMode, problem: null, detail: null };
  const loaded = storedConfig(stored.config, defaults, input.site);
  const problem = loaded.ok ? null : loaded.problem;
  const config = loaded.ok ? loaded.config : defaults;
  const saved = new Date(stored.updatedAtMs).toISOString();
  const parameters = problem
    ? `stored parameters refused (${problem}); defaults in force`
    : `parameters as saved ${saved}`;
  const { mode, why } = startMode(input, problem !== null);
  return { config, mode, problem, detail: `${parameters}; mode ${mode}${why}` };
}

function startMode(input: StartInput, refused: boolean): { mode: ControlMode; why: string } {
  if (!input.resumeMode) return { mode: input.defaultMode, why: '' };
  const stored = input.stored!;
  if (stored.mode === 'monitor') return { mode: 'monitor', why: ' as saved' };
  if (refused) return { mode: 'monitor', why: ' (auto not resumed: parameters refused)' };
  if (stored.siteHash !== input.siteHash)
    return {
      mode: 'monitor',
      why: ' (auto not resumed: the site changed while the station was off)',
    };
  return { mode: 'auto', why: ' resumed (site unchanged)' };
}

function storedConfig(
  raw: unknown,
  defaults: ControlConfig,
  site: Site,
): { ok: true; config: ControlConfig } | { ok: false; problem: string } {
  const parsed = controlConfigPatchSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
    return { ok: false, problem: `unreadable: ${where}${issue?.message ?? 'not a config'}` };
  }
  // The station's own fields always take this version's values.
  const patch = { ...parsed.data };
  for (const field of FIXED_FIELDS) delete patch[field];
  const applied = applyControlPatch(defaults, patch, site);
  if (!applied.ok) return { ok: false, problem: `${applied.error.path}: ${applied.error.message}` };
  return { ok: true, config: applied.value.config };
}
