// Every change of the running site (a device added, changed, switched or removed) is a
// configuration-change entry in the ledger, with the hashes of the site before and after,
// so a member can see that the configuration changed and when, and an auditor can match a
// site export against the hashes. The actor is the logged-in user who made the change
// (caller-context.ts), or the station's own actor for its own changes.
import { canonicalize } from '../../core/ledger/canonical-json';
import { sha256Hex } from '../../core/ledger/hashing';
import type { Ledger } from '../../core/ledger/ledger-repository';
import type { Site } from '../../core/site/site-types';

import { currentActor, currentRoleField } from './caller-context';

export const hashSite = (site: Site): string => sha256Hex(canonicalize(site));

export function recordSiteChange(
  ledger: Ledger,
  beforeHash: string,
  site: Site,
  timeMs: number,
  log: (line: string) => void,
): void {
  const afterHash = hashSite(site);
  if (afterHash === beforeHash) return;
  const enabled = site.devices.filter((d) => d.enabled).length;
  const appended = ledger.append({
    kind: 'config-change',
    timeMs,
    payload: {
      actor: currentActor(),
      ...currentRoleField(),
      section: 'site',
      summary: `site ${site.id}: ${site.devices.length} devices (${enabled} enabled)`,
      beforeHash,
      afterHash,
    },
  });
  if (!appended.ok) log(`ledger: configuration change: ${appended.error.message}`);
}
