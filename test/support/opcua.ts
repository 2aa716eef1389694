// OPC UA test fixtures: PKI folders made once per test run and copied per test (keys and
// certificates are slow to make), the battery container simulator on a free loopback port,
// and station data directories whose PKI already trusts — or not — that simulator.
// node-opcua's own log lines stay off (drivers/opcua/opcua-log.ts); MICROGRID_DEBUG=1
// shows them when a test needs explaining.
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { acquireStationPki } from '../../drivers/opcua/pki';
import { trustServerCertificate } from '../../drivers/opcua/trust';
import {
  prepareSimulatorPki,
  startOpcuaSimulator,
  type OpcuaSimulator,
  type OpcuaSimulatorOptions,
} from '../../drivers/sim/opcua/opcua-simulator';
import packageJson from '../../node_modules/node-opcua/package.json';

/** Bump when the way the templates are made changes. */
const TEMPLATE_VERSION = `1-node-opcua-${packageJson.version}`;
const TEMPLATE_ROOT = join(tmpdir(), `mg-opcua-pki-${TEMPLATE_VERSION}`);

/** The template folders, made by whichever test file gets here first. */
async function templates(): Promise<{ stationDataDir: string; simPkiDir: string }> {
  const stationDataDir = join(TEMPLATE_ROOT, 'station');
  const simPkiDir = join(TEMPLATE_ROOT, 'sim');
  if (existsSync(join(TEMPLATE_ROOT, 'ready'))) return { stationDataDir, simPkiDir };
  const building = mkdtempSync(join(tmpdir(), 'mg-opcua-pki-building-'));
  const lease = await acquireStationPki(join(building, 'station'));
  if (!lease.ok) throw new Error(lease.error.message);
  await lease.value.release();
  await prepareSimulatorPki(join(building, 'sim'));
  mkdirSync(join(building, 'ready'));
  try {
    renameSync(building, TEMPLATE_ROOT); // atomic: parallel test files cannot see half a template
  } catch {
    rmSync(building, { recursive: true, force: true }); // another file was faster
  }
  return { stationDataDir, simPkiDir };
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A station data directory with its own certificate already made; trusts nothing yet. */
export async function stationDataDir(): Promise<string> {
  const dir = freshDir('mg-opcua-station-');
  cpSync((await templates()).stationDataDir, dir, { recursive: true });
  return dir;
}

/** A station data directory that already trusts the simulator's certificate. */
export async function trustingDataDir(sim: OpcuaSimulator): Promise<string> {
  const dir = await stationDataDir();
  const trusted = await trustServerCertificate(dir, sim.serverCertificate);
  if (!trusted.ok) throw new Error(trusted.error.message);
  return dir;
}

export const SIM_USER = {
  kind: 'username',
  username: 'operator',
  password: 'battery-sim',
} as const;

/** The simulator on a free loopback port with a copy of the template PKI; the caller stops it. */
export async function startTestSimulator(
  options: Partial<OpcuaSimulatorOptions> = {},
  /** Changes the copied PKI before the server starts (e.g. a certificate to test with). */
  preparePki?: (pkiDir: string) => Promise<void>,
): Promise<OpcuaSimulator> {
  const pkiDir = join(freshDir('mg-opcua-sim-'), 'pki');
  cpSync((await templates()).simPkiDir, pkiDir, { recursive: true });
  await preparePki?.(pkiDir);
  return startOpcuaSimulator({ pkiDir, ...options });
}
