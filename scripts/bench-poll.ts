// `npm run bench:poll`: polling cost for N simulated SunSpec devices (N = 10, 50, 200 by
// default; meters, PV inverters and a battery per 20, as in the demo) behind TCP
// "gateways" of up to 25 unit ids each, polled by the station's planner-based SunSpec
// poller and by a naive poller that sends one read per point (and per scale factor).
// Prints per N and poller:
//   req/cycle  requests per cycle, all devices (10 cycles after discovery: 9 fast, 1 slow)
//   min        fewest 125-register blocks that cover each device's needed registers, summed
//   cycle ms   wall time of a cycle, all gateways polled in parallel
//   rtt ms     single-request round trip, measured alone on each gateway (median)
//   ratio      per gateway: cycle time / (its requests × its rtt), mean and max
// Targets: planner req/cycle within 10% of min; ratio ≤ 1.5. Asserts nothing.
// The simulators run in a child process, so that they do not share the event loop with
// the pollers; each request waits --delay-ms (default 5) in the simulator, standing in for
// a device's turnaround (0 measures the bare loopback).
//   npx tsx scripts/bench-poll.ts [--sizes=10,50,200] [--delay-ms=5] [--cycles=10]
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceConfig, DeviceRole } from '../core/site/site-types';
import { SUNSPEC_CANONICAL_MAP } from '../drivers/devices/sunspec-canonical-map';
import { SunspecPoller } from '../drivers/devices/sunspec-poller';
import { SUNSPEC_POLL_CLASSES } from '../drivers/devices/sunspec-poll-classes';
import { buildReadPlan } from '../drivers/devices/sunspec-read-plan';
import { ModbusLink } from '../drivers/modbus/modbus-link';
import type { ModbusUnit } from '../drivers/modbus/modbus-unit';
import type { PolledRange } from '../drivers/modbus/poll-types';
import { tcpConnector } from '../drivers/modbus/tcp-connector';
import { createDemoPhysics } from '../drivers/sim/demo/demo-physics';
import { loadDemoResources } from '../drivers/sim/demo/demo-resources';
import { createSimDevice } from '../drivers/sim/demo-microgrid/sim-sunspec-devices';
import { sunspecUnitHandler } from '../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { ModbusTcpServer } from '../drivers/sim/modbus-tcp-server';
import { discoverSunspec } from '../drivers/sunspec/discovery';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const UNITS_PER_GATEWAY = 25;
const demo = loadDemoResources(join(import.meta.dirname, '..', 'resources', 'demo'));

interface Gateway {
  port: number;
  units: { unitId: number; template: string; role: DeviceRole }[];
}

/** One battery per 20 devices, then PV inverters and meters 1 : 2. */
function roleOf(i: number): DeviceRole {
  if (i % 20 === 19) return 'battery';
  return i % 3 === 2 ? 'pv-inverter' : 'household-meter';
}

async function serve(
  n: number,
  delayMs: number,
): Promise<{ gateways: Gateway[]; stop: () => Promise<void> }> {
  const physics = createDemoPhysics({
    site: demo.site,
    physics: demo.physics,
    seed: 1,
    startSimMs: Date.UTC(2026, 5, 21, 10),
  });
  const state = physics.state();
  const servers: ModbusTcpServer[] = [];
  const gateways: Gateway[] = [];
  for (let i = 0; i < n; i++) {
    if (i % UNITS_PER_GATEWAY === 0) {
      servers.push(new ModbusTcpServer());
      gateways.push({ port: 0, units: [] });
    }
    const role = roleOf(i);
    const template = demo.site.devices.find((d) => d.role === role)!;
    const unitId = (i % UNITS_PER_GATEWAY) + 1;
    const sim = createSimDevice(template, unitId, state, 120_000)!;
    sim.update(state);
    servers.at(-1)!.setUnit(unitId, sunspecUnitHandler(sim.image));
    if (delayMs > 0) servers.at(-1)!.setFault(unitId, { kind: 'delay', delayMs });
    gateways.at(-1)!.units.push({ unitId, template: template.id, role });
  }
  for (const [i, server] of servers.entries()) gateways[i]!.port = await server.listen();
  return { gateways, stop: () => Promise.all(servers.map((s) => s.close())).then(() => undefined) };
}

interface Device {
  gateway: number;
  config: DeviceConfig;
  unit: ModbusUnit;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Fewest 125-register blocks covering the ranges (greedy from the lowest register). */
function minimumBlocks(ranges: readonly PolledRange[]): number {
  const registers = [
    ...new Set(ranges.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.address + i))),
  ].sort((a, b) => a - b);
  let blocks = 0;
  let end = -1;
  for (const register of registers)
    if (register >= end) [blocks, end] = [blocks + 1, register + 125];
  return blocks;
}

/** One read per point and per scale factor, every point every cycle. */
function naivePoller(device: Device) {
  let ranges: PolledRange[] | null = null;
  return {
    async poll(): Promise<number> {
      if (!ranges) {
        const map = await discoverSunspec(device.unit);
        if (!map.ok) throw new Error(map.error.message);
        const plan = buildReadPlan(
          map.value,
          SUNSPEC_CANONICAL_MAP[device.config.role],
          SUNSPEC_POLL_CLASSES,
        );
        const all = plan.points.flatMap((p) => p.sources.flatMap((s) => [s.range, s.sf]));
        const unique = new Map(
          all
            .filter((r): r is PolledRange => typeof r === 'object' && r !== null)
            .map((r) => [r.address, r]),
        );
        ranges = [...unique.values()];
      }
      for (const r of ranges) await device.unit.readHoldingRegisters(r.address, r.count);
      return ranges.length;
    },
    minimum: () => minimumBlocks(ranges ?? []),
  };
}

interface Row {
  requests: number;
  minimum: number;
  cycleMs: number;
  ratios: number[];
}

async function measure(
  devices: Device[],
  rtts: number[],
  cycles: number,
  kind: 'planner' | 'naive',
): Promise<Row> {
  const pollers = devices.map((device) => {
    if (kind === 'naive') return naivePoller(device);
    const poller = new SunspecPoller(device.config, device.unit);
    return {
      async poll(): Promise<number> {
        if (!(await poller.poll()))
          throw new Error(`${device.config.id}: ${poller.status().lastError}`);
        return poller.lastCycle()!.requests;
      },
      minimum(): number {
        const plan = buildReadPlan(
          poller.sunspecMap()!,
          SUNSPEC_CANONICAL_MAP[device.config.role],
          SUNSPEC_POLL_CLASSES,
        );
        const classes = poller.lastCycle()!.classes;
        return minimumBlocks(plan.ranges.filter((r) => classes.includes(r.pollClass)));
      },
    };
  });
  await Promise.all(pollers.map((p) => p.poll())); // discovery
  const row: Row = { requests: 0, minimum: 0, cycleMs: 0, ratios: [] };
  const perLink = rtts.map(() => ({ ms: 0, requests: 0 }));
  for (let c = 0; c < cycles; c++) {
    const started = performance.now();
    const ends = rtts.map(() => started);
    await Promise.all(
      pollers.map(async (p, i) => {
        const requests = await p.poll();
        const gateway = devices[i]!.gateway;
        ends[gateway] = Math.max(ends[gateway]!, performance.now());
        perLink[gateway]!.requests += requests;
        row.requests += requests;
        row.minimum += p.minimum();
      }),
    );
    row.cycleMs += performance.now() - started;
    ends.forEach((end, g) => (perLink[g]!.ms += end - started));
  }
  row.ratios = perLink.map((l, g) => l.ms / (l.requests * rtts[g]!));
  return {
    requests: row.requests / cycles,
    minimum: row.minimum / cycles,
    cycleMs: row.cycleMs / cycles,
    ratios: row.ratios,
  };
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '10,50,200').split(',').map(Number);
  const delayMs = Number(arg('delay-ms', '5'));
  const cycles = Number(arg('cycles', '10'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv });
  const next = () =>
    new Promise<{ gateways: Gateway[] }>((resolve) => child.once('message', resolve as never));
  console.log(
    `bench:poll, ${delayMs} ms simulated device turnaround, ${cycles} cycles after discovery\n`,
  );
  console.log(
    '     N  gw  poller   req/cycle     min  req/min  cycle ms  rtt ms  ratio mean  ratio max',
  );
  for (const n of sizes) {
    child.send({ n, delayMs });
    const { gateways } = await next();
    for (const kind of ['planner', 'naive'] as const) {
      const links = gateways.map(
        (g) => new ModbusLink(tcpConnector('127.0.0.1', g.port), { timeoutMs: 2000 }),
      );
      const devices: Device[] = gateways.flatMap((g, gi) =>
        g.units.map((u) => ({
          gateway: gi,
          unit: links[gi]!.unit(u.unitId),
          config: {
            ...demo.site.devices.find((d) => d.id === u.template)!,
            id: `${u.template}-${gi}-${u.unitId}`,
            url: `modbus-tcp://127.0.0.1:${g.port}?unit=${u.unitId}`,
          },
        })),
      );
      const rtts: number[] = [];
      for (const link of links) {
        const samples: number[] = [];
        for (let i = 0; i < 30; i++) {
          const t = performance.now();
          await link.unit(1).readHoldingRegisters(40000, 1);
          samples.push(performance.now() - t);
        }
        rtts.push(median(samples));
      }
      const row = await measure(devices, rtts, cycles, kind);
      await Promise.all(links.map((l) => l.close()));
      const mean = row.ratios.reduce((a, b) => a + b, 0) / row.ratios.length;
      console.log(
        [
          String(n).padStart(6),
          String(gateways.length).padStart(3),
          kind.padEnd(7),
          row.requests.toFixed(1).padStart(10),
          row.minimum.toFixed(1).padStart(7),
          (row.requests / row.minimum).toFixed(2).padStart(8),
          row.cycleMs.toFixed(1).padStart(9),
          median(rtts).toFixed(2).padStart(7),
          mean.toFixed(2).padStart(11),
          Math.max(...row.ratios)
            .toFixed(2)
            .padStart(10),
        ].join(' '),
      );
    }
  }
  child.send({ stop: true });
  console.log(
    '\ntargets: planner req/min ≤ 1.10; ratio ≤ 1.5 (cycle time vs requests × round trip per gateway)',
  );
}

if (process.argv.includes('--serve')) {
  let running: { stop: () => Promise<void> } | null = null;
  process.on('message', (message: { n?: number; delayMs?: number; stop?: boolean }) => {
    void (async () => {
      await running?.stop();
      running = null;
      if (message.stop) return process.exit(0);
      const served = await serve(message.n!, message.delayMs!);
      running = served;
      process.send!({ gateways: served.gateways });
    })();
  });
} else {
  await main();
}
