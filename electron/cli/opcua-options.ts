// The connection flags every OPC UA command shares (browse, read, write) and the one way
// they open a session: validated before any connection, the station's data directory for
// the PKI, and the session always closed again.
import { readFile } from 'node:fs/promises';
import {
  connectOpcua,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type OpcuaConnectOptions,
} from '../../drivers/opcua/connect';
import type { OpcuaIdentity } from '../../drivers/opcua/identity';
import type { OpcuaSession } from '../../drivers/opcua/opcua-session';
import { parseNodeId } from '../../drivers/opcua/node-id';
import { parseSecurityMode } from '../../drivers/opcua/security';
import { resolveDataDir } from '../station/data-dir';
import { CliError, parseNumberFlag, UsageError, type CliIo } from './cli-io';
import type { CommandContext } from './command';
import { opcuaCliError } from './opcua-errors';

export const OPCUA_OPTIONS = {
  security: { type: 'string' },
  policy: { type: 'string' },
  user: { type: 'string' },
  'password-file': { type: 'string' },
  'trust-server': { type: 'boolean' },
} as const;

export const OPCUA_HELP = `OPC UA connection (opc.tcp:// URLs):
  --security MODE       none, sign or sign-encrypt (default sign-encrypt); none sends
                        everything readable, passwords included, and is only for
                        devices that offer nothing else
  --policy NAME         Basic256Sha256 (default), Aes128_Sha256_RsaOaep or
                        Aes256_Sha256_RsaPss; Basic128Rsa15 and Basic256 are refused
  --user NAME           log in as NAME (default: anonymous)
  --password-file FILE  the password, first line of FILE (never on the command line)
  --trust-server        trust the certificate the server presents now and store it in the
                        data directory's PKI (check its thumbprint first: the error
                        without this flag shows it)
  --timeout-ms N        bound for connecting (default ${DEFAULT_CONNECT_TIMEOUT_MS})
  --data-dir DIR        where the station's PKI lives (pki/: its certificate, trusted and
                        rejected server certificates)`;

export const isOpcuaUrl = (url: string | undefined): boolean =>
  typeof url === 'string' && url.toLowerCase().startsWith('opc.tcp://');

type Values = CommandContext['values'];
const given = (values: Values, name: string) => values[name] !== undefined;

/** Refuses flags that belong to the other kind of URL: "--model is for Modbus URLs…". */
export function refuseFlags(values: Values, names: readonly string[], what: string): void {
  const wrong = names.filter((n) => given(values, n));
  if (wrong.length === 0) return;
  const list = wrong.map((n) => `--${n}`).join(', ');
  throw new UsageError(`${list} ${wrong.length === 1 ? 'is' : 'are'} ${what}`);
}

/** Node id syntax, checked before connecting so a typo never opens a session. */
export function checkNodeIds(nodeIds: readonly string[]): void {
  for (const nodeId of nodeIds) {
    const parsed = parseNodeId(nodeId);
    if (!parsed.ok) throw new UsageError(parsed.error.message);
  }
}

export const OPCUA_ONLY = ['node', 'security', 'policy', 'user', 'password-file', 'trust-server'];

async function identityOf(values: Values): Promise<OpcuaIdentity> {
  const user = values.user as string | undefined;
  const passwordFile = values['password-file'] as string | undefined;
  if (user === undefined) {
    if (passwordFile !== undefined) throw new UsageError('--password-file needs --user');
    return { kind: 'anonymous' };
  }
  if (user === '') throw new UsageError('--user must not be empty');
  if (passwordFile === undefined) throw new UsageError('--user needs --password-file FILE');
  let text: string;
  try {
    text = await readFile(passwordFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read the password file ${passwordFile}${code ? ` (${code})` : ''}`);
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') throw new UsageError(`the password file ${passwordFile} is empty`);
  return { kind: 'username', username: user, password };
}

export async function connectOptions(url: string, values: Values): Promise<OpcuaConnectOptions> {
  const mode = parseSecurityMode((values.security as string | undefined) ?? 'sign-encrypt');
  if (!mode.ok) throw new UsageError(`--security: ${mode.error.message}`);
  const policy = values.policy as string | undefined;
  if (mode.value === 'none' && policy !== undefined)
    throw new UsageError('--policy needs --security sign or sign-encrypt');
  const timeoutMs = parseNumberFlag(
    'timeout-ms',
    values['timeout-ms'] as string | undefined,
    100,
    60_000,
    'integer',
  );
  return {
    endpointUrl: url,
    dataDir: resolveDataDir(values['data-dir'] as string | undefined),
    securityMode: mode.value,
    ...(policy !== undefined ? { securityPolicy: policy } : {}),
    identity: await identityOf(values),
    // Typing --security none is the explicit permission the driver asks for.
    allowInsecure: mode.value === 'none',
    trustServerCertificate: values['trust-server'] === true,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    sessionName: 'microgrid-cli',
  };
}

/** Opens a session for the command, runs `use`, and always closes it. */
export async function withOpcuaSession<T>(
  url: string,
  values: Values,
  io: CliIo,
  use: (session: OpcuaSession) => Promise<T>,
): Promise<T> {
  const options = await connectOptions(url, values);
  const connected = await connectOpcua(options);
  if (!connected.ok) throw opcuaCliError(connected.error);
  if (options.securityMode === 'none')
    io.err('microgrid: warning: security none: nothing is signed or encrypted on this connection');
  try {
    return await use(connected.value);
  } finally {
    await connected.value.close();
  }
}
