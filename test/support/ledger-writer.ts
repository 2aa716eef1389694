// Child process of the ledger crash test: opens the ledger on <dataDir>/station.db the way
// the station does (WAL, synchronous=FULL, station key from <dataDir>/keys) and writes
// until it is killed: single appends, batches, and a seal now and then.
//
// Usage: node --import tsx test/support/ledger-writer.ts <dataDir> <round>
// stdout, one line each, written only AFTER the call returned ok (its commit is done):
//   ready <seq> <pending>            ledger opened; tip before this run
//   ack <seq> <hash>                 an acknowledged entry
//   seal <height> <hash> <entries>   an acknowledged block
// writeSync, not process.stdout.write: the line must leave the process before the next
// write starts, or a kill could drop an acknowledgement that the test should check.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateStationKey } from '../../electron/station/ledger-keys';
import type { EntryInput } from '../../core/ledger/entry-schema';
import { openLedger } from '../../core/ledger/ledger-repository';
import { openSqlite } from '../../core/storage/sqlite-adapter';

const [dataDir, roundText] = process.argv.slice(2);
if (!dataDir || !roundText) throw new Error('usage: ledger-writer.ts <dataDir> <round>');
const round = Number(roundText);

const say = (line: string) => writeSync(1, `${line}\n`);

const key = loadOrCreateStationKey(dataDir);
const db = openSqlite(join(dataDir, 'station.db'), { synchronous: 'full' });
const ledger = openLedger(db, { signer: key.signer });
const tip = ledger.tip();
say(`ready ${tip.seq} ${tip.pending}`);

let n = 0;
function input(): EntryInput {
  n += 1;
  const member = `m${n % 7}`;
  const timeMs = 1_750_000_000_000 + round * 1_000_000 + n;
  // Top-ups and small settlements: the balances stay in range and verification derives them.
  return n % 3 === 0
    ? {
        kind: 'top-up',
        memberId: member,
        amountMinor: 100 + (n % 50),
        timeMs,
        payload: { method: 'cash', reference: `r${round}-${n}` },
      }
    : {
        kind: 'settlement',
        memberId: member,
        amountMinor: (n % 21) - 10,
        timeMs,
        payload: {
          intervalStartMs: timeMs - 60_000,
          intervalEndMs: timeMs,
          tradedWh: n % 900,
          meteredWh: (n % 900) - 2,
          description: `round ${round}`,
        },
      };
}

for (;;) {
  const pick = Math.random();
  if (pick < 0.08) {
    const sealed = ledger.seal(`crash-test round ${round}`);
    if (!sealed.ok) throw new Error(`seal refused: ${sealed.error.message}`);
    const b = sealed.value;
    if (b) say(`seal ${b.header.height} ${b.hash} ${b.header.firstSeq + b.header.entryCount - 1}`);
  } else if (pick < 0.5) {
    const size = 2 + Math.floor(Math.random() * 60);
    const result = ledger.appendBatch(Array.from({ length: size }, input));
    if (!result.ok) throw new Error(`batch refused: ${result.error.message}`);
    say(result.value.map((s) => `ack ${s.entry.seq} ${s.hash}`).join('\n'));
  } else {
    const result = ledger.append(input());
    if (!result.ok) throw new Error(`append refused: ${result.error.message}`);
    say(`ack ${result.value.entry.seq} ${result.value.hash}`);
  }
}
