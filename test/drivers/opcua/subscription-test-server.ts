// A plain node-opcua server for the subscription tests: numbered Double variables
// (ns=1;s=V<i>) whose value and status a test sets, the sizes of the CreateMonitoredItems
// requests it received, and a restart on the same port that forgets every session and
// subscription, like a PLC rebooting. Security none with anonymous access: these tests are
// about subscriptions; the secured path is covered with the battery simulator.
import '../../../drivers/opcua/opcua-log';
import { join } from 'node:path';
import {
  DataType,
  VariantArrayType,
  OPCUACertificateManager,
  OPCUAServer,
  StatusCodes,
  Variant,
  VariableIds,
  type Message,
  type StatusCode,
  type UAVariable,
} from 'node-opcua';

export interface TestServerOptions {
  pkiDir: string;
  variables: number;
  port?: number;
  maxMonitoredItemsPerCall?: number;
  /** Makes MaxMonitoredItemsPerCall unreadable while still enforcing it. */
  hideLimits?: boolean;
  /** Extra variables of other types: ns=1;s=<name>. */
  extra?: { name: string; dataType: DataType; value: unknown }[];
}

export interface TestServer {
  readonly endpointUrl: string;
  readonly port: number;
  /** Item counts of every CreateMonitoredItems request, in arrival order. */
  readonly createRequests: number[];
  nodeId(i: number): string;
  set(name: string | number, value: unknown, status?: StatusCode): void;
  sessions(): number;
  subscriptions(): number;
  stop(): Promise<void>;
  /** Stops like a PLC powered off; resume() starts it on the same port, sessions forgotten. */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

interface Stored {
  dataType: DataType;
  value: unknown;
  status: StatusCode;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const stored = new Map<string, Stored>();
  for (let i = 0; i < options.variables; i++)
    stored.set(`V${i}`, { dataType: DataType.Double, value: i, status: StatusCodes.Good });
  for (const e of options.extra ?? [])
    stored.set(e.name, { dataType: e.dataType, value: e.value, status: StatusCodes.Good });
  const createRequests: number[] = [];
  let running = await start(options, options.port ?? 0, stored, createRequests);
  const port = running.port;
  let stopped = false;
  return {
    endpointUrl: `opc.tcp://127.0.0.1:${port}`,
    port,
    createRequests,
    nodeId: (i) => `ns=1;s=V${i}`,
    set(name, value, status = StatusCodes.Good) {
      const key = typeof name === 'number' ? `V${name}` : name;
      const entry = stored.get(key);
      if (!entry) throw new Error(`no variable ${key}`);
      entry.value = value;
      entry.status = status;
      running.variables
        .get(key)
        ?.setValueFromSource(new Variant({ dataType: entry.dataType, value }), status, new Date());
    },
    sessions: () => running.server.engine.currentSessionCount,
    subscriptions: () => running.server.engine.currentSubscriptionCount,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.stop();
    },
    async halt() {
      await running.stop();
    },
    async resume() {
      running = await start(options, port, stored, createRequests);
    },
  };
}

interface Running {
  server: OPCUAServer;
  port: number;
  variables: Map<string, UAVariable>;
  stop(): Promise<void>;
}

async function start(
  options: TestServerOptions,
  port: number,
  stored: Map<string, Stored>,
  createRequests: number[],
): Promise<Running> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: options.pkiDir,
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  const server = new OPCUAServer({
    port,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    serverCertificateManager,
    certificateFile: join(options.pkiDir, 'own', 'certs', 'server.pem'),
    privateKeyFile: join(options.pkiDir, 'own', 'private', 'private_key.pem'),
    allowAnonymous: true,
    isAuditing: false,
    buildInfo: {
      productName: 'Subscription Test Server',
      manufacturerName: 'Test Lab',
      softwareVersion: '2.5.1',
      buildNumber: '77',
    },
    serverInfo: { applicationUri: 'urn:test:subscription-server' },
    serverCapabilities: {
      operationLimits: { maxMonitoredItemsPerCall: options.maxMonitoredItemsPerCall ?? 0 },
    },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Test' });
  const variables = new Map<string, UAVariable>();
  for (const [name, entry] of stored) {
    const variable = namespace.addVariable({
      componentOf: folder,
      browseName: name,
      nodeId: `s=${name}`,
      dataType: entry.dataType,
    });
    variable.setValueFromSource(variant(entry), entry.status);
    variables.set(name, variable);
  }
  if (options.hideLimits) {
    const limit = addressSpace.findNode(
      `i=${VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall}`,
    ) as UAVariable | null;
    limit?.bindVariable({ get: () => new Variant({ dataType: DataType.Null }) }, true);
  }
  await server.start();
  for (const endpoint of server.endpoints)
    endpoint.on('message', (message: Message) => {
      const request = message.request as { schema?: { name?: string }; itemsToCreate?: unknown[] };
      if (request.schema?.name === 'CreateMonitoredItemsRequest')
        createRequests.push(request.itemsToCreate?.length ?? 0);
    });
  return {
    server,
    port: server.endpoints[0]?.port ?? port,
    variables,
    stop: async () => {
      await server.shutdown(0);
      await serverCertificateManager.dispose();
    },
  };
}

const variant = (entry: Stored): Variant =>
  new Variant({ dataType: entry.dataType, arrayType: VariantArrayType.Scalar, value: entry.value });
