// The files of `microgrid ledger statement`: CSV for spreadsheets, HTML to print (the
// browser's "Print to PDF" gives the PDF), and the JSON proof. Amounts stay integer minor
// units in CSV and JSON; HTML shows them in currency units when the site says which.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry } from '../../core/ledger/ledger-entry';
import type { ProofFile, Statement } from '../../core/ledger/statement';

export interface Money {
  currency: string;
  minorUnitDigits: number;
}

export interface StatementContext {
  siteName: string | null;
  memberName: string | null;
  money: Money | null;
  stationKeyId: string | null;
  /** IANA zone for the times shown in HTML; UTC when unknown. */
  timeZone: string;
}

export function writeStatementFiles(
  dir: string,
  statement: Statement,
  proof: ProofFile,
  ctx: StatementContext,
): { csv: string; html: string; proof: string } {
  const base = `statement-${safe(statement.memberId)}-${day(statement.fromMs)}-${day(statement.toMs)}`;
  const paths = {
    csv: join(dir, `${base}.csv`),
    html: join(dir, `${base}.html`),
    proof: join(dir, `${base}.proof.json`),
  };
  writeFileSync(paths.csv, statementCsv(statement));
  writeFileSync(paths.html, statementHtml(statement, ctx));
  writeFileSync(paths.proof, `${JSON.stringify(proof, null, 2)}\n`);
  return paths;
}

export function describeEntry(entry: LedgerEntry, memberId: string): string {
  const p = entry.payload;
  switch (entry.kind) {
    case 'trade': {
      const bought = p.buyerId === memberId;
      return `${bought ? 'bought from' : 'sold to'} ${String(bought ? p.sellerId : p.buyerId)}: ${String(p.energyWh)} Wh at ${String(p.priceMicroPerKWh)} µ/kWh`;
    }
    case 'settlement':
      return `settlement: traded ${String(p.tradedWh)} Wh, metered ${String(p.meteredWh)} Wh`;
    case 'top-up':
      return `top-up (${String(p.method)}) ${String(p.reference)}`;
    case 'fee':
      return `fee ${String(p.feeType)}: ${String(p.description)}`;
    case 'order':
      return `${String(p.side)} order ${String(p.orderId)}: ${String(p.energyWh)} Wh`;
    case 'meter-reading':
      return `meter ${String(p.meterId)}: import ${String(p.importWh)} Wh, export ${String(p.exportWh)} Wh`;
    default:
      return entry.kind;
  }
}

export function statementCsv(s: Statement): string {
  const rows = [
    [
      'seq',
      'time_utc',
      'kind',
      'description',
      'amount_minor',
      'balance_after_minor',
      'block',
      'entry_hash',
    ],
    ['', '', 'opening', 'opening balance', '', String(s.openingBalanceMinor), '', ''],
    ...s.lines.map((l) => [
      String(l.seq),
      new Date(l.timeMs).toISOString(),
      l.kind,
      describeEntry(l.entry, s.memberId),
      l.entry.memberId === s.memberId && l.entry.amountMinor !== null
        ? String(l.entry.amountMinor)
        : '',
      l.entry.memberId === s.memberId && l.entry.balanceAfterMinor !== null
        ? String(l.entry.balanceAfterMinor)
        : '',
      l.block === null ? 'pending' : String(l.block),
      l.hash,
    ]),
    ['', '', 'closing', 'closing balance', '', String(s.closingBalanceMinor), '', ''],
  ];
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  // A leading = + - @ would make a spreadsheet run a formula from ledger text.
  const text = /^[=+\-@]/.test(value) && !/^-?\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statementHtml(s: Statement, ctx: StatementContext): string {
  const money = (minor: number | null): string =>
    minor === null ? '' : formatMoney(minor, ctx.money);
  const time = (ms: number): string =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: ctx.timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(ms);
  const rows = s.lines
    .map((l) => {
      const own = l.entry.memberId === s.memberId;
      return `<tr><td>${l.seq}</td><td>${esc(time(l.timeMs))}</td><td>${esc(describeEntry(l.entry, s.memberId))}</td><td class="n">${own ? money(l.entry.amountMinor) : ''}</td><td class="n">${own ? money(l.entry.balanceAfterMinor) : ''}</td><td>${l.block === null ? '<em>pending</em>' : l.block}</td></tr>`;
    })
    .join('\n');
  const pendingNote =
    s.pending > 0
      ? `<p class="note">${s.pending} entr${s.pending === 1 ? 'y is' : 'ies are'} not sealed into a block yet: the proof file lists ${s.pending === 1 ? 'it' : 'them'} as unproven. Ask for a new statement after the next market interval to get a proof.</p>`
      : '';
  const title = `Statement for ${ctx.memberName ? `${ctx.memberName} (${s.memberId})` : s.memberId}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#7a4b00}
@media print{body{margin:0}}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${ctx.siteName ? `${esc(ctx.siteName)} · ` : ''}${esc(time(s.fromMs))} – ${esc(time(s.toMs))} (${esc(ctx.timeZone)})</p>
<p>Opening balance: <strong>${money(s.openingBalanceMinor)}</strong> · Closing balance: <strong>${money(s.closingBalanceMinor)}</strong></p>
<table><thead><tr><th>#</th><th>Time</th><th>Entry</th><th class="n">Amount</th><th class="n">Balance</th><th>Block</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No entries in this period.</td></tr>'}
</tbody></table>
${pendingNote}
<p class="note">Check this statement: <code>microgrid ledger check-proof ${esc(`statement-${safe(s.memberId)}-${day(s.fromMs)}-${day(s.toMs)}.proof.json`)} --key ledger-ed25519.pub.pem</code>${ctx.stationKeyId ? ` (station key id ${esc(ctx.stationKeyId)})` : ''}.</p>
</body></html>
`;
}

export function formatMoney(minor: number, money: Money | null): string {
  if (!money) return `${minor}`;
  const digits = money.minorUnitDigits;
  const sign = minor < 0 ? '−' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${sign}${whole}${frac} ${money.currency}`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
