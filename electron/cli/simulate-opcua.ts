// `microgrid simulate --opcua-port N`: the OPC UA battery container next to the Modbus demo
// devices, for practising OPC UA commissioning (trust, browse, map, test write). node-opcua
// is loaded only when asked for.
import type { DemoEndpoint } from '../../drivers/sim/demo-microgrid/demo-microgrid';

export interface SimulatedOpcuaBattery {
  endpoint: DemoEndpoint & {
    opcua: { username: string; password: string; nodes: Record<string, string> };
  };
  stop(): Promise<void>;
}

export async function startOpcuaBattery(options: {
  port: number;
  host: string;
  pkiDir: string;
}): Promise<SimulatedOpcuaBattery> {
  const [{ startOpcuaSimulator, DEFAULT_SIM_USER }, { BATTERY_NODES }] = await Promise.all([
    import('../../drivers/sim/opcua/opcua-simulator'),
    import('../../drivers/sim/opcua/battery-nodes'),
  ]);
  const sim = await startOpcuaSimulator({ ...options, stepIntervalMs: 1000 });
  const nodes = Object.fromEntries(
    Object.entries(BATTERY_NODES).map(([name, suffix]) => [name, sim.nodeId(suffix)]),
  );
  return {
    endpoint: {
      deviceId: 'battery-container',
      name: 'Battery container (OPC UA)',
      role: 'battery',
      url: sim.endpointUrl,
      opcua: { ...DEFAULT_SIM_USER, nodes },
    },
    stop: () => sim.stop(),
  };
}
