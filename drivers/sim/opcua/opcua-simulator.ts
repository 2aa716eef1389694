// An OPC UA server modelling a community battery container, for tests, the demo and
// `microgrid simulate`. Secured like a real site device by default: SignAndEncrypt and
// Sign with the three current policies, one user with a password, no anonymous access and
// no security none unless asked for. Its certificate lives in `pkiDir` and survives
// restart(), which brings the server back on the same port (reconnect tests need both).
import '../../opcua/opcua-log';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager, OPCUAServer, type UserManagerOptions } from 'node-opcua';
import { certificateDer } from '../../opcua/certificate-info';
import {
  SECURITY_POLICIES,
  toOpcuaMode,
  toOpcuaPolicy,
  type SecurityModeName,
  type SecurityPolicyName,
} from '../../opcua/security';
import {
  buildBatteryContainer,
  BATTERY_NAMESPACE_URI,
  type WriteLog,
} from './battery-address-space';
import { BatteryContainerModel, type BatteryContainerConfig } from './battery-container-model';

export interface SimUser {
  username: string;
  password: string;
}

/** The simulator's user unless told otherwise (documented, it is a simulator). */
export const DEFAULT_SIM_USER: SimUser = { username: 'operator', password: 'battery-sim' };

export interface OpcuaSimulatorOptions {
  /** 0 (default): a free port, kept across restart(). */
  port?: number;
  host?: string;
  /** The server's own PKI folder (own certificate, trusted clients). */
  pkiDir: string;
  users?: SimUser[];
  allowAnonymous?: boolean;
  /** Default sign and sign-encrypt; 'none' only when listed. */
  securityModes?: SecurityModeName[];
  securityPolicies?: SecurityPolicyName[];
  /** Accept any client certificate (default true); false: only those in pkiDir/trusted. */
  acceptUnknownClients?: boolean;
  /** X.509 user certificates (DER or PEM) accepted as users. */
  userCertificates?: (Buffer | string)[];
  /** Steps the model this often (model time = wall time); null (default): step() only. */
  stepIntervalMs?: number | null;
  battery?: Partial<BatteryContainerConfig>;
}

export interface OpcuaSimulator {
  readonly endpointUrl: string;
  readonly port: number;
  /** DER of the server's application certificate. */
  readonly serverCertificate: Buffer;
  readonly namespaceUri: string;
  readonly battery: BatteryContainerModel;
  /** Client writes the server received, accepted or refused. */
  readonly writes: WriteLog;
  /** Full node id of a battery node: `ns=2;s=BatteryContainer.PowerSetpointW`. */
  nodeId(suffix: string): string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same certificate and model state. */
  restart(): Promise<void>;
}

export async function startOpcuaSimulator(options: OpcuaSimulatorOptions): Promise<OpcuaSimulator> {
  const battery = new BatteryContainerModel(options.battery);
  const writes: WriteLog = { count: 0 };
  const host = options.host ?? '127.0.0.1';
  let running = await startServer(options, host, options.port ?? 0, battery, writes);
  const port = running.port;
  const serverCertificate = await readCertificate(running.server);
  let timer: NodeJS.Timeout | null = null;
  if (options.stepIntervalMs) {
    const interval = options.stepIntervalMs;
    timer = setInterval(() => battery.step(interval), interval);
    timer.unref();
  }
  let stopped = false;
  return {
    endpointUrl: `opc.tcp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    serverCertificate,
    namespaceUri: BATTERY_NAMESPACE_URI,
    battery,
    writes,
    nodeId: (suffix) => `ns=${running.namespaceIndex};${suffix}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      await running.stop();
    },
    async restart() {
      await running.stop();
      running = await startServer(options, host, port, battery, writes);
    },
  };
}

interface Running {
  server: OPCUAServer;
  port: number;
  namespaceIndex: number;
  stop(): Promise<void>;
}

async function startServer(
  options: OpcuaSimulatorOptions,
  host: string,
  port: number,
  battery: BatteryContainerModel,
  writes: WriteLog,
): Promise<Running> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: options.pkiDir,
    automaticallyAcceptUnknownCertificate: options.acceptUnknownClients ?? true,
    disableFileWatchers: true,
  });
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: join(options.pkiDir, 'users'),
    automaticallyAcceptUnknownCertificate: false,
    disableFileWatchers: true,
  });
  await serverCertificateManager.initialize();
  await userCertificateManager.initialize();
  await ensureServerCertificate(serverCertificateManager, host);
  for (const certificate of options.userCertificates ?? []) {
    const der = certificateDer(certificate);
    if (der.ok) await userCertificateManager.trustCertificate(der.value);
  }
  const modes = options.securityModes ?? ['sign', 'sign-encrypt'];
  const policies = options.securityPolicies ?? [...SECURITY_POLICIES];
  const users = options.users ?? [DEFAULT_SIM_USER];
  const userManager: UserManagerOptions = {
    isValidUser: (username: string, password: string) =>
      users.some((u) => u.username === username && u.password === password),
  };
  const server = new OPCUAServer({
    port,
    host,
    hostname: host,
    serverCertificateManager,
    userCertificateManager,
    certificateFile: certificateFileOf(serverCertificateManager),
    securityModes: modes.map(toOpcuaMode),
    securityPolicies: [
      ...(modes.includes('none') ? [toOpcuaPolicy('None')] : []),
      ...policies.map(toOpcuaPolicy),
    ],
    allowAnonymous: options.allowAnonymous ?? false,
    userManager,
    serverInfo: {
      applicationUri: APPLICATION_URI,
      productUri: APPLICATION_URI,
      applicationName: { text: 'Battery Container Simulator', locale: 'en' },
    },
    buildInfo: {
      productName: 'Battery Container Simulator',
      manufacturerName: 'Microgrid Station',
      softwareVersion: '1.0.0',
    },
    isAuditing: false,
  });
  await server.initialize();
  const namespace = buildBatteryContainer(server.engine.addressSpace!, battery, writes);
  await server.start();
  const boundPort = server.endpoints[0]?.port ?? port;
  return {
    server,
    port: boundPort,
    namespaceIndex: namespace.index,
    stop: async () => {
      await server.shutdown(0);
      await userCertificateManager.dispose();
      await serverCertificateManager.dispose();
    },
  };
}

const APPLICATION_URI = 'urn:microgrid-station:battery-container-simulator';
const certificateFileOf = (manager: OPCUACertificateManager) =>
  join(manager.rootDir, 'own', 'certs', 'certificate.pem');

/** Made once per pkiDir, with a subject that says what it is (node-opcua's default does not). */
async function ensureServerCertificate(manager: OPCUACertificateManager, host: string) {
  const file = certificateFileOf(manager);
  if (existsSync(file)) return;
  await manager.createSelfSignedCertificate({
    applicationUri: APPLICATION_URI,
    subject: '/CN=Battery Container Simulator/O=Microgrid Station',
    dns: [...new Set([hostname(), 'localhost'])],
    ...(isIP(host) ? { ip: [host] } : {}),
    startDate: new Date(Date.now() - 60_000),
    validity: 3650,
    outputFile: file,
  });
}

/**
 * Makes the simulator's key and certificate in `pkiDir` if missing and returns the
 * certificate (DER), without starting a server: to show its thumbprint in advance, or to
 * prepare a folder once and copy it.
 */
export async function prepareSimulatorPki(pkiDir: string, host = '127.0.0.1'): Promise<Buffer> {
  const manager = new OPCUACertificateManager({
    rootFolder: pkiDir,
    automaticallyAcceptUnknownCertificate: false,
    disableFileWatchers: true,
  });
  try {
    await manager.initialize();
    await ensureServerCertificate(manager, host);
    const der = certificateDer(await readFile(certificateFileOf(manager)));
    if (!der.ok) throw new Error(`simulator certificate in ${pkiDir}: ${der.error.message}`);
    return der.value;
  } finally {
    await manager.dispose();
  }
}

async function readCertificate(server: OPCUAServer): Promise<Buffer> {
  const der = certificateDer(await readFile(server.certificateFile));
  if (!der.ok)
    throw new Error(`simulator certificate ${server.certificateFile}: ${der.error.message}`);
  return der.value;
}
