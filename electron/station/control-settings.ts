// Keeps control's parameters and mode in station.db for the running site, with the hash of
// the site they were saved under (control-start.ts resumes auto only on the same site).
// When the site changes while the station runs (a device commissioned or removed), an
// operator saw it happen: the stored hash follows, so the next start still counts as
// "nothing changed while the station was off".
import type { ControlMode } from '../../core/api/control-api';
import type { ControlConfig } from '../../core/control/control-config';
import { editableConfig } from '../../core/control/control-config-edit';
import type {
  ControlSettingsStore,
  StoredControlSettings,
} from '../../core/control/control-settings-repository';
import type { Site } from '../../core/site/site-types';
import { hashSite } from './site-ledger';

export class ControlSettingsKeeper {
  #site: Site;
  #hash: string;
  /** Whether station.db has a row for this site (only then does a site change update it). */
  #stored = false;

  constructor(
    private readonly store: ControlSettingsStore | null,
    site: Site,
  ) {
    this.#site = site;
    this.#hash = store ? hashSite(site) : '';
  }

  get siteHash(): string {
    return this.#hash;
  }

  load(): StoredControlSettings | null {
    const stored = this.store?.load(this.#site.id) ?? null;
    this.#stored = stored !== null;
    return stored;
  }

  /** Throws if station.db cannot take it: the caller then changes nothing. */
  save(config: ControlConfig, mode: ControlMode, nowMs: number): void {
    if (!this.store) return;
    this.store.save({
      siteId: this.#site.id,
      config: editableConfig(config),
      mode,
      siteHash: this.#hash,
      updatedAtMs: nowMs,
    });
    this.#stored = true;
  }

  /** Cheap on every cycle: the running site is replaced, never mutated, when it changes. */
  follow(site: Site, config: ControlConfig, mode: ControlMode, nowMs: number): void {
    if (site === this.#site || !this.store) return;
    // Another site id has its own row (or none yet): nothing of this one is carried over.
    if (site.id !== this.#site.id) this.#stored = false;
    this.#site = site;
    this.#hash = hashSite(site);
    if (this.#stored) this.save(config, mode, nowMs);
  }
}
