// `npm run bench:startup`: how fast the headless station shows live demo data, and how much
// memory it holds once running. Prints figures; asserts nothing.
//   time to listening     spawn → the HTTP host answers
//   time to first snapshot spawn → a snapshot in which every demo device is ok and the site
//                          load is known (what the operator waits for)
//   RSS                   resident memory of the station process at 10 s, 30 s and 60 s
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const durationS = Number(
  process.argv.find((a) => a.startsWith('--duration-s='))?.split('=')[1] ?? 60,
);
const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'mg-bench-startup-'));

const rssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
};

const started = performance.now();
const child = spawn(
  process.execPath,
  [join(root, 'bin/microgrid.js'), 'serve', '--port', '0', '--json', '--data-dir', dataDir],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const line = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).once('line', resolve),
);
const listeningMs = performance.now() - started;
const { url } = JSON.parse(line) as { url: string };

let firstSnapshotMs: number | undefined;
while (firstSnapshotMs === undefined) {
  const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as {
    devices: Record<string, { state: string }>;
    flows: { loadW: number | null };
  };
  const states = Object.values(snapshot.devices).map((d) => d.state);
  if (snapshot.flows.loadW !== null && states.every((s) => s === 'ok')) {
    firstSnapshotMs = performance.now() - started;
  } else {
    await new Promise((r) => setTimeout(r, 50));
  }
}

const samples: [number, number][] = [];
for (const atS of [10, 30, 60].filter((s) => s <= durationS)) {
  await new Promise((r) => setTimeout(r, Math.max(0, started + atS * 1000 - performance.now())));
  samples.push([atS, rssMb(child.pid!)]);
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

console.log('Microgrid Station startup (headless, demo site: 21 simulated devices)');
console.log(`  time to listening:       ${listeningMs.toFixed(0)} ms`);
console.log(
  `  time to first snapshot:  ${firstSnapshotMs.toFixed(0)} ms (all devices ok, site load known)`,
);
for (const [atS, mb] of samples)
  console.log(`  RSS after ${String(atS).padStart(2)} s:          ${mb.toFixed(1)} MiB`);
console.log(
  JSON.stringify({
    listeningMs: Math.round(listeningMs),
    firstSnapshotMs: Math.round(firstSnapshotMs),
    rssMiB: Object.fromEntries(samples.map(([s, mb]) => [`${s}s`, Math.round(mb * 10) / 10])),
  }),
);
