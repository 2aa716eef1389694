// Crash test of the ledger's durability promise: a writer (test/support/ledger-writer.ts,
// the station's ledger stack on a real file with synchronous=FULL) is SIGKILLed at a
// random moment during sustained appends, batches and seals, several times on the same
// file. After each kill the file must pass `PRAGMA integrity_check`, verify with the
// station's public key, and hold every entry and block the writer acknowledged, with the
// hash it reported.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../core/ledger/ledger-verify';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { readStationPublicKey } from '../../electron/station/ledger-keys';
import { PROJECT_ROOT } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const WRITER = join(PROJECT_ROOT, 'test', 'support', 'ledger-writer.ts');
const ROUNDS = 6;
const tempDir = useTempDirs('mg-ledger-crash-');

interface Run {
  ready: { seq: number; pending: number };
  acked: Map<number, string>;
  sealed: Map<number, { hash: string; lastSeq: number }>;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the writer, kills it `killAfterMs` after its first acknowledgement. */
function runAndKill(dataDir: string, round: number, killAfterMs: number): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(round)], {
    cwd: PROJECT_ROOT,
  });
  const run: Run = {
    ready: { seq: -1, pending: -1 },
    acked: new Map(),
    sealed: new Map(),
    signal: null,
    stderr: '',
  };
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const onLine = (line: string) => {
    const [tag, a, b, c] = line.split(' ');
    if (tag === 'ready') run.ready = { seq: Number(a), pending: Number(b) };
    else if (tag === 'ack') run.acked.set(Number(a), b!);
    else if (tag === 'seal') run.sealed.set(Number(a), { hash: b!, lastSeq: Number(c) });
    if (tag === 'ack' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    // A line cut by the kill has no newline yet: it is left out, which only makes the
    // check weaker for that one entry (its commit happened before the line was written).
    pending = lines.pop()!;
    lines.forEach(onLine);
  });
  child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) => {
    // 'close' waits for stdout to drain, so every line the writer got out is counted.
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      clearTimeout(timer);
      run.signal = signal;
      resolve(run);
    });
  });
}

describe('ledger crash test', () => {
  it(
    `keeps every acknowledged entry and block through ${ROUNDS} SIGKILLs during writes`,
    { timeout: 90_000 },
    async () => {
      const dataDir = tempDir();
      const acked = new Map<number, string>();
      const sealed = new Map<number, { hash: string; lastSeq: number }>();
      let lastSeq = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const run = await runAndKill(dataDir, round, 150 + Math.floor(Math.random() * 600));
        expect(run.signal, `round ${round} stderr: ${run.stderr}`).toBe('SIGKILL');
        // The writer resumed where the last round's acknowledged entries end (or later:
        // an entry can commit just before the kill without its line getting out).
        expect(run.ready.seq).toBeGreaterThanOrEqual(lastSeq);
        expect(run.acked.size).toBeGreaterThan(0);
        for (const [seq, hash] of run.acked) acked.set(seq, hash);
        for (const [height, block] of run.sealed) sealed.set(height, block);
        lastSeq = Math.max(...acked.keys());

        const db = openSqlite(join(dataDir, 'station.db'), { synchronous: 'full' });
        try {
          expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          const verified = verifyLedger(db, readStationPublicKey(dataDir)!);
          expect(verified, `round ${round}`).toMatchObject({ ok: true });
          if (!verified.ok) return;
          expect(verified.value.entries).toBeGreaterThanOrEqual(lastSeq);
          const hashOf = db.prepare<{ hash: string }>(
            'SELECT hash FROM ledger_entries WHERE seq = ?',
          );
          const missing = [...acked].filter(([seq, hash]) => hashOf.get(seq)?.hash !== hash);
          expect(missing, `round ${round}: acknowledged entries lost or changed`).toEqual([]);
          const blockOf = db.prepare<{ hash: string; last: number }>(
            'SELECT hash, first_seq + entry_count - 1 AS last FROM ledger_blocks WHERE height = ?',
          );
          const lostBlocks = [...sealed].filter(([height, b]) => {
            const row = blockOf.get(height);
            return row?.hash !== b.hash || row.last !== b.lastSeq;
          });
          expect(lostBlocks, `round ${round}: acknowledged blocks lost or changed`).toEqual([]);
        } finally {
          db.close();
        }
      }
      // The rounds did sustained work: hundreds of entries, some of them sealed.
      expect(acked.size).toBeGreaterThan(ROUNDS * 20);
      expect(sealed.size).toBeGreaterThan(0);
    },
  );
});
