// `npm run bench:opcua`: one OPC UA subscription with many monitored items, through the
// station's session manager (the code the pollers use). Each run starts a node-opcua
// server in a child process (so it shares neither the event loop nor the CPU figures with
// the client) serving N Double variables, all changed every --update-ms (100). The client
// monitors all of them with one subscription (publishing = update interval) and prints:
//   connect ms   register → session open (includes making the station's certificate)
//   create ms    time spent in the CreateMonitoredItems calls (calls × largest batch)
//   first ms     register → a first value for every item
//   updates/s    value changes received over --seconds (10), and their share of the
//                changes the server made
//   client/server CPU and RSS  over the window, % of one core; RSS at its end
// Runs are N@samplingMs: by default 1000@100 and 10000@100 (sampled every 100 ms, as the
// station asks), then 10000@0 (0 = on change: node-opcua then needs no sampling timers, so
// the figure shows what the client takes when the server is not the limit).
// --security sign-encrypt runs over SignAndEncrypt (Basic256Sha256). Asserts nothing.
//   npx tsx scripts/bench-opcua.ts [--runs=1000@100,10000@100,10000@0] [--seconds=10]
//                                  [--update-ms=100] [--security=none|sign-encrypt] [--batch=500]
import '../drivers/opcua/opcua-log';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DataType,
  OPCUACertificateManager,
  OPCUAServer,
  StatusCodes,
  Variant,
  VariantArrayType,
  type NotificationMessage,
  type UAVariable,
} from 'node-opcua';
import { trustServerCertificate } from '../drivers/opcua/trust';
import { OpcuaSessionManager } from '../drivers/opcua/session-manager';

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;

interface Ready {
  endpointUrl: string;
  certificatePem: string;
}
interface Usage {
  cpuUs: number;
  rssBytes: number;
}

// ---- server (child process) -------------------------------------------------------------

async function serve(n: number, updateMs: number, pkiDir: string): Promise<void> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: pkiDir,
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  const server = new OPCUAServer({
    port: 0,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    serverCertificateManager,
    allowAnonymous: true,
    isAuditing: false,
    serverCapabilities: { maxMonitoredItemsPerSubscription: 200_000 },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Bench' });
  const variables: UAVariable[] = [];
  for (let i = 0; i < n; i++)
    variables.push(
      namespace.addVariable({
        componentOf: folder,
        browseName: `V${i}`,
        nodeId: `s=V${i}`,
        dataType: DataType.Double,
        minimumSamplingInterval: 0, // sampling 0 is then exception-based (on change)
      }),
    );
  let tick = 0;
  const update = (): void => {
    tick++;
    const now = new Date();
    variables.forEach((v, i) =>
      v.setValueFromSource(
        new Variant({
          dataType: DataType.Double,
          arrayType: VariantArrayType.Scalar,
          value: tick + i,
        }),
        StatusCodes.Good,
        now,
      ),
    );
  };
  update();
  await server.start();
  setInterval(update, updateMs);
  const { readFileSync } = await import('node:fs');
  const ready: Ready = {
    endpointUrl: `opc.tcp://127.0.0.1:${server.endpoints[0]!.port}`,
    certificatePem: readFileSync(server.certificateFile, 'utf8'),
  };
  process.send!(ready);
  process.on('message', (message: string) => {
    if (message === 'usage')
      process.send!({ cpuUs: cpuUs(), rssBytes: process.memoryUsage().rss } satisfies Usage);
  });
  process.on('disconnect', () => process.exit(0));
}

const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

// ---- client ------------------------------------------------------------------------------

function startServer(n: number, updateMs: number, pkiDir: string) {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', String(n), String(updateMs), pkiDir],
    {
      execArgv: process.execArgv,
    },
  );
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    });
  return { child, ready: next<Ready>(), usage: () => (child.send('usage'), next<Usage>()) };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const startedMs = Date.now();
  while (!check()) {
    if (Date.now() - startedMs > timeoutMs) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function run(n: number, samplingMs: number, root: string): Promise<void> {
  const seconds = Number(arg('seconds', '10'));
  const updateMs = Number(arg('update-ms', '100'));
  const security = arg('security', 'none') as 'none' | 'sign-encrypt';
  const dataDir = join(root, `station-${n}-${samplingMs}`);
  const server = startServer(n, updateMs, join(root, `server-${n}-${samplingMs}`));
  const manager = new OpcuaSessionManager({
    dataDir,
    batchSize: Number(arg('batch', '500')),
    requestTimeoutMs: 30_000,
  });
  try {
    const ready = await server.ready;
    if (security !== 'none') await trustServerCertificate(dataDir, ready.certificatePem);
    const items = Array.from({ length: n }, (_, i) => ({
      nodeId: `ns=1;s=V${i}`,
      samplingIntervalMs: samplingMs,
      deadband: null,
    }));
    const startMs = performance.now();
    const handle = manager.register(
      {
        endpointUrl: ready.endpointUrl,
        securityMode: security,
        allowInsecure: security === 'none',
      },
      { items, publishingIntervalMs: updateMs, keepAliveMs: 1000 },
    );
    const failed = (): boolean => handle.health().lastError !== null;
    await until(() => manager.live(handle.serverKey) !== null || failed(), 30_000);
    const live = manager.live(handle.serverKey);
    if (!live) throw new Error(handle.health().lastError ?? 'no session');
    const connectMs = performance.now() - startMs;
    await until(() => sum(live.batches) === n || failed(), 120_000);
    if (sum(live.batches) !== n) throw new Error(handle.health().lastError ?? 'items not created');
    await until(() => items.every((_, i) => handle.value(i) !== null), 60_000);
    const firstMs = performance.now() - startMs;

    let updates = 0;
    live.subscription?.on('raw_notification', (m: NotificationMessage) => {
      for (const data of m.notificationData ?? [])
        updates += (data as { monitoredItems?: unknown[] }).monitoredItems?.length ?? 0;
    });
    await new Promise((r) => setTimeout(r, 1000)); // settle after the initial burst
    updates = 0;
    const [clientCpu0, server0, window0] = [cpuUs(), await server.usage(), performance.now()];
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const [clientCpu1, server1, window1] = [cpuUs(), await server.usage(), performance.now()];
    const windowS = (window1 - window0) / 1000;
    const rate = updates / windowS;
    const made = (n * 1000) / updateMs;
    const pct = (us: number): string => `${((us / 1e6 / windowS) * 100).toFixed(0)} %`;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      [
        `${String(n).padStart(6)} items, sampling ${String(samplingMs).padStart(3)} ms`,
        `connect ${connectMs.toFixed(0).padStart(4)} ms`,
        `create ${sum(live.batchMs).toFixed(0).padStart(5)} ms (${live.batches.length} calls × ≤${Math.max(...live.batches)})`,
        `first values ${firstMs.toFixed(0).padStart(5)} ms`,
        `${rate.toFixed(0).padStart(6)} updates/s (${((rate / made) * 100).toFixed(0)} % of ${made}/s)`,
        `client CPU ${pct(clientCpu1 - clientCpu0)}, RSS ${mb(process.memoryUsage().rss)}`,
        `server CPU ${pct(server1.cpuUs - server0.cpuUs)}, RSS ${mb(server1.rssBytes)}` +
          // Above a core the node-opcua server, not the client, limits the rate.
          ((server1.cpuUs - server0.cpuUs) / 1e6 / windowS > 0.85 ? ' (server-bound)' : ''),
      ].join(' | '),
    );
  } finally {
    await manager.closeAll();
    server.child.disconnect();
  }
}

const sum = (list: readonly number[]): number => list.reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const runs = arg('runs', '1000@100,10000@100,10000@0')
    .split(',')
    .map((r) => r.split('@').map(Number) as [number, number]);
  const root = mkdtempSync(join(tmpdir(), 'mg-bench-opcua-'));
  console.log(
    `OPC UA subscription bench: security ${arg('security', 'none')}, every value changed and published every ${arg('update-ms', '100')} ms, ${arg('seconds', '10')} s window, node ${process.version}`,
  );
  try {
    for (const [n, samplingMs] of runs) await run(n, samplingMs ?? 100, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve')
  void serve(Number(process.argv[3]), Number(process.argv[4]), process.argv[5]!);
else
  main().catch((error: unknown) => {
    console.error(`bench-opcua: ${(error as Error).message}`);
    process.exitCode = 1;
  });
