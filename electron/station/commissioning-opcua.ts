// The OPC UA commissioning tools in the API's terms, on the station's data directory (its
// PKI and the device password files). node-opcua is loaded with the first request, not at
// start: it costs ~1.5 s and ~100 MB that a site without OPC UA devices never needs.
import type {
  ApiErrorCode,
  OpcuaBrowseResult,
  OpcuaCertificate,
  OpcuaCertificateList,
  OpcuaConnection,
  OpcuaReadValue,
  OpcuaServerInfo,
  OpcuaTrustRequest,
  OpcuaWritePlan,
  OpcuaWriteResult,
} from '../../core/api/station-api';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { fail, ok, type Result } from '../../core/result';
import {
  deleteOpcuaPassword,
  readOpcuaPassword,
  writeOpcuaPassword,
} from '../../drivers/opcua/opcua-device-config-secrets';
import type { OpcuaCommissioning } from '../../drivers/opcua/opcua-commissioning';
import type { OpcuaError, OpcuaErrorCode } from '../../drivers/opcua/opcua-error';
import type { ToolError, ToolResult } from './commissioning-port';

type WriteValue = string | number | boolean;

export interface OpcuaTools {
  endpoints(url: string): ToolResult<OpcuaServerInfo>;
  trust(request: OpcuaTrustRequest): ToolResult<OpcuaCertificate>;
  certificates(): ToolResult<OpcuaCertificateList>;
  browse(connection: OpcuaConnection, nodeId?: string): ToolResult<OpcuaBrowseResult>;
  read(connection: OpcuaConnection, nodeIds: string[]): ToolResult<OpcuaReadValue[]>;
  planWrite(
    connection: OpcuaConnection,
    nodeId: string,
    value: WriteValue,
  ): ToolResult<OpcuaWritePlan>;
  write(
    connection: OpcuaConnection,
    nodeId: string,
    value: WriteValue,
  ): ToolResult<OpcuaWriteResult>;
  /** Connects with the device's settings and reads who the server is (BuildInfo). */
  identify(connection: OpcuaConnection): ToolResult<DeviceIdentity>;
  /** The device's stored password; null when none is stored. */
  password(deviceId: string): Result<string | null, ToolError>;
  /** Stores (string) or deletes (null) the device's password file. */
  savePassword(deviceId: string, password: string | null): ToolResult<void>;
  close(): Promise<void>;
}

const API_CODES: Partial<Record<OpcuaErrorCode, ApiErrorCode>> = {
  bad_url: 'bad_request',
  bad_options: 'bad_request',
  bad_node_id: 'bad_request',
  bad_type: 'bad_request',
  bad_arguments: 'bad_request',
  insecure_not_allowed: 'security_refused',
  policy_obsolete: 'security_refused',
  security_mode_refused: 'security_refused',
  policy_not_offered: 'security_refused',
  user_token_not_offered: 'security_refused',
  certificate_untrusted: 'certificate_untrusted',
  certificate_invalid: 'certificate_invalid',
  client_certificate_rejected: 'auth_failed',
  bad_user: 'auth_failed',
  node_not_found: 'not_found',
  not_writable: 'read_only',
  out_of_range: 'out_of_range',
};

export function toolErrorOf(error: OpcuaError): ToolError {
  if (error.statusCode === 'CertificateChanged')
    return { code: 'certificate_changed', message: error.message };
  return { code: API_CODES[error.code] ?? 'device_error', message: error.message };
}

const mapped = <T>(result: Result<T, OpcuaError>): Result<T, ToolError> =>
  result.ok ? result : fail(toolErrorOf(result.error));

export function createOpcuaTools(dataDir: string): OpcuaTools {
  let driver: Promise<OpcuaCommissioning> | null = null;
  const load = (): Promise<OpcuaCommissioning> =>
    (driver ??= import('../../drivers/opcua/opcua-commissioning').then(
      (m) => new m.OpcuaCommissioning(dataDir),
    ));
  const run = async <T>(call: (d: OpcuaCommissioning) => Promise<Result<T, OpcuaError>>) =>
    mapped(await call(await load()));

  return {
    endpoints: (url) =>
      run(async (d) => {
        const offer = await d.endpoints(url);
        if (!offer.ok) return offer;
        const { certificateDer: _der, ...info } = offer.value;
        return ok(info);
      }),
    trust: ({ url, thumbprint, decision }) => run((d) => d.decide(url, thumbprint, decision)),
    certificates: () => run((d) => d.certificates()),
    browse: (connection, nodeId) => run((d) => d.browse(connection, nodeId)),
    read: (connection, nodeIds) =>
      run(async (d) => {
        const values = await d.read(connection, nodeIds);
        if (!values.ok) return values;
        return ok(
          values.value.map((v) => ({
            nodeId: v.nodeId,
            value: v.value,
            dataType: v.dataType,
            statusCode: v.statusCode,
            sourceTimestamp: v.sourceTimestamp,
            problem: v.problem?.message ?? null,
          })),
        );
      }),
    planWrite: (connection, nodeId, value) => run((d) => d.planWrite(connection, nodeId, value)),
    write: (connection, nodeId, value) => run((d) => d.write(connection, nodeId, value)),
    identify: (connection) => run((d) => d.identify(connection)),
    password: (deviceId) => {
      const stored = readOpcuaPassword(dataDir, deviceId);
      return stored.ok ? stored : fail({ code: 'internal', message: stored.error.message });
    },
    savePassword: async (deviceId, password) => {
      const done =
        password === null
          ? await deleteOpcuaPassword(dataDir, deviceId)
          : await writeOpcuaPassword(dataDir, deviceId, password);
      return done.ok ? ok(undefined) : fail({ code: 'internal', message: done.error.message });
    },
    close: async () => {
      if (driver) await (await driver).close();
    },
  };
}
