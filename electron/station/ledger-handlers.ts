// Request handlers of the ledger and account methods: browsing blocks and entries, a
// verification on demand, prepaid accounts with top-ups (a ledger entry each, so a top-up
// is as tamper-evident as a trade) and member statements with their proofs.
import { currentActor, currentRoleField } from './caller-context';
import type { KeyObject } from 'node:crypto';
import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { AccountView, AccountsView } from '../../core/api/ledger-api';
import { lowBalances } from '../../core/ledger/accounts';
import {
  DEFAULT_DISCONNECT_POLICY,
  decideDisconnect,
  type DisconnectPolicy,
} from '../../core/ledger/disconnect-policy';
import { newestBlocks, newestEntries } from '../../core/ledger/ledger-browse';
import type { Ledger } from '../../core/ledger/ledger-repository';
import { verifyLedger } from '../../core/ledger/ledger-verify';
import { buildStatement } from '../../core/ledger/statement';
import type { Site } from '../../core/site/site-types';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { statementCsv, statementHtml } from '../cli/ledger-statement-files';
import type { Clock } from './station-clock';

export type LedgerMethod =
  | 'ledger.summary'
  | 'ledger.blocks'
  | 'ledger.entries'
  | 'ledger.verify'
  | 'ledger.statement'
  | 'accounts.list'
  | 'accounts.topUp';

export interface LedgerDeps {
  ledger: Ledger;
  db: SqlDatabase;
  publicKey: KeyObject;
  site(): Site;
  clock: Clock;
  /** Told every verification's outcome (a failure raises an alarm). */
  onVerified?(problem: string | null): void;
}

export const DEFAULT_LOW_BALANCE_MINOR = 500;

export function ledgerHandlers(deps: LedgerDeps): Pick<RequestHandlers, LedgerMethod> {
  const { ledger, db, clock } = deps;

  const policy = (site: Site): DisconnectPolicy => ({
    ...DEFAULT_DISCONNECT_POLICY,
    ...site.accounts?.disconnect,
    timeZone: site.timezone,
  });

  const account = (site: Site, memberId: string, balances: Map<string, number>): AccountView => {
    const member = site.members.find((m) => m.id === memberId);
    if (!member) throw new ApiError('not_found', `no member "${memberId}" in the site`);
    const threshold = site.accounts?.lowBalanceMinor ?? DEFAULT_LOW_BALANCE_MINOR;
    const balanceMinor = balances.get(member.id) ?? 0;
    const decision = decideDisconnect(member, balanceMinor, clock.nowMs(), policy(site));
    return {
      memberId: member.id,
      name: member.name,
      prepaid: member.prepaid,
      critical: member.critical,
      balanceMinor,
      low: lowBalances([member], balances, threshold).length > 0,
      advice:
        decision.action === 'disconnect'
          ? { action: 'disconnect', reason: decision.reason }
          : { action: 'keep', reason: decision.reason },
    };
  };

  return {
    'ledger.summary': () => {
      const head = ledger.head();
      return {
        ...head,
        pending: ledger.tip().pending,
        keyId: ledger.keyId,
        publicKeyPem: deps.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    },
    'ledger.blocks': ({ beforeHeight, limit }) => newestBlocks(db, beforeHeight, limit ?? 50),
    'ledger.entries': (query) => newestEntries(db, { ...query, limit: query.limit ?? 100 }),
    'ledger.verify': () => {
      const started = performance.now();
      const verified = verifyLedger(db, deps.publicKey);
      const durationMs = Math.round(performance.now() - started);
      deps.onVerified?.(verified.ok ? null : `${verified.error.code}: ${verified.error.message}`);
      if (verified.ok)
        return {
          ok: true,
          blocks: verified.value.blocks,
          entries: verified.value.entries,
          members: verified.value.members,
          durationMs,
        };
      return {
        ok: false,
        code: verified.error.code,
        message: verified.error.message,
        block: verified.error.block ?? null,
        entry: verified.error.entry ?? null,
        durationMs,
      };
    },
    'ledger.statement': ({ memberId, fromMs, toMs }) => {
      const site = deps.site();
      const member = site.members.find((m) => m.id === memberId);
      if (!member) throw new ApiError('not_found', `no member "${memberId}" in the site`);
      const { statement, proof } = buildStatement(ledger, memberId, fromMs, toMs, clock.nowMs());
      const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
      return {
        name: `statement-${memberId}-${day(fromMs)}-${day(toMs)}`,
        csv: statementCsv(statement),
        html: statementHtml(statement, {
          siteName: site.name,
          memberName: member.name,
          money: { currency: site.tariffs.currency, minorUnitDigits: site.tariffs.minorUnitDigits },
          stationKeyId: ledger.keyId,
          timeZone: site.timezone,
        }),
        proof: `${JSON.stringify(proof, null, 2)}\n`,
        pending: proof.unproven.length,
      };
    },
    'accounts.list': (): AccountsView => {
      const site = deps.site();
      const balances = ledger.balances();
      return {
        currency: site.tariffs.currency,
        minorUnitDigits: site.tariffs.minorUnitDigits,
        lowBalanceMinor: site.accounts?.lowBalanceMinor ?? DEFAULT_LOW_BALANCE_MINOR,
        accounts: site.members.map((m) => account(site, m.id, balances)),
      };
    },
    'accounts.topUp': ({ memberId, amountMinor, method, reference }) => {
      const site = deps.site();
      const member = site.members.find((m) => m.id === memberId);
      if (!member) throw new ApiError('not_found', `no member "${memberId}" in the site`);
      if (!member.prepaid) throw new ApiError('bad_request', `member "${memberId}" is not prepaid`);
      const appended = ledger.append({
        kind: 'top-up',
        timeMs: clock.nowMs(),
        memberId,
        amountMinor,
        payload: { method, reference, actor: currentActor(), ...currentRoleField() },
      });
      if (!appended.ok) throw new ApiError('bad_request', appended.error.message);
      return account(site, memberId, ledger.balances());
    },
  };
}
