// `microgrid ledger …`: verify the tamper-evident ledger, write member statements with
// proofs, check a proof, back up, restore and export (issue #6).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { checkProof } from '../../core/ledger/check-proof';
import { keyIdOf } from '../../core/ledger/hashing';
import { verifyLedger } from '../../core/ledger/ledger-verify';
import { rawPublicKey } from '../../core/ledger/signing';
import { buildStatement } from '../../core/ledger/statement';
import type { Witness } from '../../core/ledger/verify-types';
import { SiteRepository } from '../../core/site/site-repository';
import type { Site } from '../../core/site/site-types';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { resolveDataDir } from '../station/data-dir';
import {
  LedgerKeyError,
  ledgerKeyPaths,
  loadOrCreateStationKey,
  readPublicKeyFile,
} from '../station/ledger-keys';
import { CliError, printJson, UsageError, type CliIo } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { backupStation, restoreStation } from './ledger-backup';
import { stationDbPath, stationPublicKey, withLedgerDb } from './ledger-store';
import { writeStatementFiles } from './ledger-statement-files';
import { describeCounts, describeProblem } from './ledger-verify-text';

const HELP = `
Usage: microgrid ledger <action> [options]

  verify [--key PUBKEY_FILE] [--witness FILE]
        re-hash every entry, check the chain, blocks, Merkle roots, signatures and
        balances; exit 0 with counts, 1 naming the first bad block/entry. --witness takes
        a saved GET /api/ledger/head answer (or verify --json output) and also catches
        entries or blocks cut off the end since then
  statement --member ID --from TIME --to TIME --out DIR [--seal]
        CSV, printable HTML and a JSON proof file for one member; TIME is ISO 8601 or
        epoch ms, --to exclusive. Entries not sealed yet are listed as pending and
        unproven; --seal seals them into a block first (needs the station's key)
  check-proof FILE --key PUBKEY_FILE
        check a statement's proof file with nothing but the station's public key
  backup PATH       consistent online copy of station.db (ledger included), verified
  restore PATH [--force]
        verify PATH, then replace station.db (the old file is kept next to it); refuses
        while a station runs, and without --force if the backup has fewer entries
  export            every entry as JSON lines on stdout: {"hash", "block", "entry"}

The station's public key is <data-dir>/keys/ledger-ed25519.pub.pem; verify uses it
unless --key names a copy kept elsewhere (safer: someone who can rewrite the data
directory can replace that file too).

Options: --data-dir DIR, --json`;

export const ledgerCommand: Command = {
  summary: 'verify the ledger, member statements with proofs, backup/restore/export',
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    key: { type: 'string' },
    witness: { type: 'string' },
    member: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    seal: { type: 'boolean' },
    force: { type: 'boolean' },
  },
  async run({ values, positionals, io }) {
    const [action, arg, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    const json = Boolean(values.json);
    const key = values.key as string | undefined;
    const noArg = (): void => {
      if (arg !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
    };
    switch (action) {
      case 'verify':
        noArg();
        return verify(io, dataDir, key, values.witness as string | undefined, json);
      case 'statement':
        noArg();
        return statement(io, dataDir, values, json);
      case 'check-proof': {
        if (!arg) throw new UsageError('ledger check-proof needs a FILE');
        if (!key) throw new UsageError('ledger check-proof needs --key PUBKEY_FILE');
        return checkProofFile(io, arg, key, json);
      }
      case 'backup': {
        if (!arg) throw new UsageError('ledger backup needs a PATH');
        const counts = backupStation(dataDir, arg, stationPublicKey(dataDir, key));
        if (json) printJson(io, { backup: arg, ...counts });
        else
          io.out(
            `backed up ${counts.entries} entries in ${counts.blocks} blocks to ${arg} (verified)`,
          );
        return 0;
      }
      case 'restore': {
        if (!arg) throw new UsageError('ledger restore needs a PATH');
        const result = restoreStation(
          dataDir,
          arg,
          stationPublicKey(dataDir, key),
          Boolean(values.force),
        );
        if (json) printJson(io, result);
        else
          io.out(
            `restored ${result.restored.entries} entries in ${result.restored.blocks} blocks from ${arg}${result.previous ? `; the previous database is kept as ${result.previous}` : ''}`,
          );
        return 0;
      }
      case 'export':
        noArg();
        return exportEntries(io, dataDir);
      default:
        throw new UsageError(
          action
            ? `unknown ledger action "${action}"`
            : 'ledger needs an action: verify, statement, check-proof, backup, restore or export',
        );
    }
  },
};

function verify(
  io: CliIo,
  dataDir: string,
  keyFile: string | undefined,
  witnessFile: string | undefined,
  json: boolean,
): number {
  const key = stationPublicKey(dataDir, keyFile);
  const keyId = keyIdOf(rawPublicKey(key));
  const witness = witnessFile ? readWitness(witnessFile) : undefined;
  const result = withLedgerDb(stationDbPath(dataDir), (db) =>
    verifyLedger(db, key, witness ? { witness } : {}),
  );
  if (json) {
    printJson(
      io,
      result.ok
        ? { ok: true, keyId, ...result.value }
        : { ok: false, keyId, problem: result.error },
    );
    return result.ok ? 0 : 1;
  }
  if (!result.ok)
    throw new CliError(`ledger verification failed: ${describeProblem(result.error)}`);
  io.out(describeCounts(result.value, keyId));
  return 0;
}

function readWitness(path: string): Witness {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read witness ${path}: ${(error as Error).message}`);
  }
  // Either a head ({height, hash, entries}) or verify --json output ({head, entryHash}).
  const r = (raw ?? {}) as Record<string, unknown>;
  const head = (typeof r.head === 'object' && r.head !== null ? r.head : r) as Record<
    string,
    unknown
  >;
  const witness: Witness = {};
  if (Number.isSafeInteger(head.entries)) witness.entries = head.entries as number;
  if (Number.isSafeInteger(head.height)) witness.height = head.height as number;
  if (typeof head.hash === 'string') witness.blockHash = head.hash;
  if (typeof r.entryHash === 'string') witness.entryHash = r.entryHash;
  if (witness.entries === undefined && witness.height === undefined)
    throw new CliError(`${path} is not a ledger head: expected {"height", "hash", "entries"}`);
  return witness;
}

function statement(
  io: CliIo,
  dataDir: string,
  values: Record<string, unknown>,
  json: boolean,
): number {
  const member = values.member as string | undefined;
  const out = values.out as string | undefined;
  if (!member) throw new UsageError('ledger statement needs --member ID');
  if (!out) throw new UsageError('ledger statement needs --out DIR');
  const fromMs = parseTime('from', values.from as string | undefined);
  const toMs = parseTime('to', values.to as string | undefined);
  if (toMs <= fromMs) throw new UsageError('--to must be after --from');
  const signer = values.seal ? stationSigner(dataDir) : undefined;
  const {
    statement: s,
    proof,
    site,
  } = withLedgerDb(
    stationDbPath(dataDir),
    (db, ledger) => {
      if (signer) {
        const sealed = ledger.seal('statement');
        if (!sealed.ok) throw new CliError(`cannot seal: ${sealed.error.message}`);
      }
      return { ...buildStatement(ledger, member, fromMs, toMs, Date.now()), site: storedSite(db) };
    },
    signer,
  );
  mkdirSync(out, { recursive: true });
  const known = site?.members.find((m) => m.id === member);
  const files = writeStatementFiles(out, s, proof, {
    siteName: site?.name ?? null,
    memberName: known?.name ?? null,
    money: site
      ? { currency: site.tariffs.currency, minorUnitDigits: site.tariffs.minorUnitDigits }
      : null,
    stationKeyId: proof.blocks[0]?.header.signerKeyId ?? null,
    timeZone: site?.timezone ?? 'UTC',
  });
  if (json)
    printJson(io, {
      memberId: member,
      entries: s.lines.length,
      pending: s.pending,
      openingBalanceMinor: s.openingBalanceMinor,
      closingBalanceMinor: s.closingBalanceMinor,
      files,
    });
  else {
    io.out(
      `statement for ${member}: ${s.lines.length} entries, balance ${s.openingBalanceMinor} → ${s.closingBalanceMinor} minor units`,
    );
    if (s.pending > 0)
      io.out(
        `${s.pending} entries are pending (not sealed yet) and unproven; --seal seals them first`,
      );
    for (const path of Object.values(files)) io.out(`  ${path}`);
  }
  return 0;
}

function stationSigner(dataDir: string) {
  if (!existsSync(ledgerKeyPaths(dataDir).privateKeyPath))
    throw new CliError(`no station signing key in ${dataDir}; --seal needs the station's key`);
  try {
    return loadOrCreateStationKey(dataDir).signer;
  } catch (error) {
    if (error instanceof LedgerKeyError) throw new CliError(error.message);
    throw error;
  }
}

function storedSite(db: SqlDatabase): Site | null {
  try {
    return new SiteRepository(db).load()?.site ?? null;
  } catch {
    return null;
  }
}

function checkProofFile(io: CliIo, file: string, keyFile: string, json: boolean): number {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read proof ${file}: ${(error as Error).message}`);
  }
  let key;
  try {
    key = readPublicKeyFile(keyFile);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const result = checkProof(raw, key);
  if (json) {
    printJson(io, result.ok ? { ok: true, ...result.value } : { ok: false, problem: result.error });
    return result.ok ? 0 : 1;
  }
  if (!result.ok) throw new CliError(`proof does not hold: ${describeProblem(result.error)}`);
  const v = result.value;
  io.out(
    `proof ok: ${v.entries} entries of ${v.memberId} in ${v.blocks} blocks signed by station key ${v.keyId}${v.closingBalanceMinor === null ? '' : `, balance ${v.closingBalanceMinor} minor units`}${v.unproven ? `; ${v.unproven} entries pending and not proven` : ''}`,
  );
  return 0;
}

function exportEntries(io: CliIo, dataDir: string): number {
  withLedgerDb(stationDbPath(dataDir), (_db, ledger) => {
    const blocks = ledger.blocks(0, Number.MAX_SAFE_INTEGER);
    let b = 0;
    for (let after = 0; ;) {
      const page = ledger.entriesAfter(after, 5000);
      if (page.length === 0) break;
      for (const { entry, body, hash } of page) {
        while (
          b < blocks.length &&
          blocks[b]!.header.firstSeq + blocks[b]!.header.entryCount <= entry.seq
        )
          b++;
        const block = blocks[b];
        const sealed = block && block.header.firstSeq <= entry.seq ? block.header.height : null;
        io.out(`{"hash":"${hash}","block":${sealed === null ? 'null' : sealed},"entry":${body}}`);
      }
      after = page.at(-1)!.entry.seq;
    }
  });
  return 0;
}

function parseTime(name: string, raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`ledger statement needs --${name} TIME`);
  if (/^\d{1,16}$/.test(raw)) return Number(raw);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms))
    throw new UsageError(`--${name} must be ISO 8601 or epoch ms, got "${raw}"`);
  return ms;
}
