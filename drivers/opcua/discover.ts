// What a server offers, for a commissioning UI to show before anything is chosen: its
// endpoints with security modes, policies, user token types and certificate. Asked over an
// unsecured discovery channel, which every server answers; no session is opened.
import { parseDeviceUrl } from '../../core/site/device-url';
import { fail, type Result } from '../../core/result';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './connect';
import { Deadline } from './deadline';
import { discoverEndpoints, type OfferedEndpoint } from './endpoints';
import { opcuaError, type OpcuaError } from './opcua-error';
import { withStationPki } from './pki';

export async function getServerEndpoints(
  endpointUrl: string,
  dataDir: string,
  timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<Result<OfferedEndpoint[], OpcuaError>> {
  const parsed = parseDeviceUrl(endpointUrl);
  if (!parsed.ok || parsed.value.kind !== 'opcua')
    return fail(
      opcuaError(
        'bad_url',
        parsed.ok ? `${endpointUrl} is not an opc.tcp:// URL` : parsed.error.message,
      ),
    );
  return withStationPki(dataDir, (pki) =>
    discoverEndpoints(endpointUrl, pki, new Deadline(timeoutMs)),
  );
}
