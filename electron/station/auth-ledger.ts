// Logins, failed logins, logouts and account changes go into the ledger as `audit` entries,
// so they are as tamper-evident as the money. A ledger that refuses an entry is logged, never
// thrown: a full disk must not stop an operator from logging in to deal with it.
import type { AuthEvent } from '../../core/auth/auth-service';
import type { Ledger } from '../../core/ledger/ledger-repository';

export function recordAuthEvent(
  ledger: Ledger,
  event: AuthEvent,
  log: (line: string) => void,
): void {
  const appended = ledger.append({
    kind: 'audit',
    timeMs: event.atMs,
    payload: {
      actor: event.actor.slice(0, 200) || '(empty)',
      event: event.event,
      result: event.result,
      ...(event.role ? { role: event.role } : {}),
      ...(event.detail ? { detail: event.detail.slice(0, 2000) } : {}),
    },
  });
  if (!appended.ok) log(`ledger: audit ${event.event}: ${appended.error.message}`);
}
