import { loadDemoResources } from '../../drivers/sim/demo/demo-resources';
import { startDemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { serveMetersOverRtu, type DemoRtu } from '../../drivers/sim/demo-microgrid/demo-rtu';
import { join } from 'node:path';
import { resolveDataDir } from '../station/data-dir';
import { DEMO_DIR, PROFILES_DIR } from '../station/runtime';
import { startOpcuaBattery, type SimulatedOpcuaBattery } from './simulate-opcua';
import { CliError, parseNumberFlag, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { waitForShutdown } from './shutdown';

const HELP = `
Usage: microgrid simulate [options]

Runs only the simulated devices of the demo microgrid (SunSpec meters, PV inverters and a
battery inverter, the community hall's Eastron SDM630 meter in its own register map, and
four switchable loads on the microgrid-load-switch profile, on Modbus TCP), without the
station: for practising commissioning with microgrid scan/read, mbpoll or any Modbus tool.
Prints each device's endpoint URL, and the device profile of a device without SunSpec.

Options:
  --base-port N   first TCP port (default: the demo site's own ports, 1502 and up; 0 = free ports)
  --host ADDR     address to listen on (default 127.0.0.1)
  --speed N       simulated time runs N times faster (default 1)
  --rtu PATH      also serve the 12 household meters as Modbus RTU units 1–12 on serial
                  device PATH (9600 8E1), e.g. one end of a pty pair made with
                  socat -d -d pty,raw,echo=0,link=/tmp/bus-a pty,raw,echo=0,link=/tmp/bus-b
  --rtu-tcp-port N  also serve the household meters as RTU over TCP on port N (0 = free port)
  --opcua-port N  also run an OPC UA server modelling a community battery container on
                  port N (0 = free port): SignAndEncrypt or Sign, user "operator" with
                  password "battery-sim", its certificate in the data directory's
                  simulator-pki/ folder (trust it on the Devices page or with --trust-server)
  --json          print the endpoints as JSON: [{"deviceId","name","role","url","profile"?,
                  "opcua"?: {"username","password","nodes"}}]
`;

export const simulateCommand: Command = {
  summary: 'run only the simulated demo devices (Modbus TCP) and print their endpoints',
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    'base-port': { type: 'string' },
    rtu: { type: 'string' },
    'rtu-tcp-port': { type: 'string' },
    'opcua-port': { type: 'string' },
    host: { type: 'string' },
    speed: { type: 'string' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length > 0)
      throw new UsageError(`simulate takes no arguments, got "${positionals[0]}"`);
    const basePort = parseNumberFlag(
      'base-port',
      values['base-port'] as string | undefined,
      0,
      65000,
      'integer',
    );
    const speed = parseNumberFlag('speed', values.speed as string | undefined, 0.1, 100_000) ?? 1;
    const demo = loadDemoResources(DEMO_DIR, PROFILES_DIR);
    let grid;
    try {
      grid = await startDemoMicrogrid({
        site: demo.site,
        physics: demo.physics,
        profiles: demo.profiles,
        basePort,
        speed,
        host: (values.host as string | undefined) ?? '127.0.0.1',
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new CliError(
          'a simulator port is already in use; choose others with --base-port (0 = free ports)',
        );
      if (code === 'EACCES')
        throw new CliError('not allowed to listen on that port; use --base-port 1024 or higher');
      throw error;
    }
    const rtuTcpPort = parseNumberFlag(
      'rtu-tcp-port',
      values['rtu-tcp-port'] as string | undefined,
      0,
      65535,
      'integer',
    );
    const serialPath = values.rtu as string | undefined;
    let rtu: DemoRtu | undefined;
    if (serialPath !== undefined || rtuTcpPort !== undefined) {
      try {
        rtu = await serveMetersOverRtu(grid, { serialPath, overTcpPort: rtuTcpPort });
      } catch (error) {
        await grid.stop();
        throw new CliError(`cannot serve Modbus RTU: ${(error as Error).message}`);
      }
    }
    const opcuaPort = parseNumberFlag(
      'opcua-port',
      values['opcua-port'] as string | undefined,
      0,
      65535,
      'integer',
    );
    let battery: SimulatedOpcuaBattery | undefined;
    if (opcuaPort !== undefined) {
      try {
        battery = await startOpcuaBattery({
          port: opcuaPort,
          host: (values.host as string | undefined) ?? '127.0.0.1',
          pkiDir: join(resolveDataDir(values['data-dir'] as string | undefined), 'simulator-pki'),
        });
      } catch (error) {
        await rtu?.close();
        await grid.stop();
        throw new CliError(`cannot run the OPC UA simulator: ${(error as Error).message}`);
      }
    }
    const endpoints = [
      ...grid.endpoints,
      ...(rtu?.endpoints ?? []),
      ...(battery ? [battery.endpoint] : []),
    ];
    if (values.json) printJson(io, endpoints);
    else {
      io.out(`Simulating "${demo.site.name}" at ${speed}× speed. Ctrl+C stops it.`);
      const width = Math.max(...endpoints.map((e) => e.deviceId.length));
      for (const e of endpoints)
        io.out(
          `  ${e.deviceId.padEnd(width)}  ${e.role.padEnd(15)}  ${e.url}${e.profile ? `  (profile ${e.profile})` : ''}`,
        );
      if (battery) {
        const { username, password } = battery.endpoint.opcua;
        io.out(
          `  OPC UA: sign-encrypt or sign, user "${username}", password "${password}"; trust the server certificate when adding it`,
        );
      }
    }
    await waitForShutdown();
    await battery?.stop();
    await rtu?.close();
    await grid.stop();
    return 0;
  },
};
