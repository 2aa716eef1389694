// Who the server says it is, for the Devices page's identity column: BuildInfo's
// manufacturer, product name and software version, and the application URI (which names
// one installation) as the serial-like id, falling back to the certificate's URI or subject.
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua';
import type { DeviceIdentity } from '../../core/points/snapshot';
import type { CertificateInfo } from './certificate-info';

const NODES = [
  VariableIds.Server_ServerStatus_BuildInfo_ManufacturerName,
  VariableIds.Server_ServerStatus_BuildInfo_ProductName,
  VariableIds.Server_ServerStatus_BuildInfo_SoftwareVersion,
  VariableIds.Server_ServerStatus_BuildInfo_BuildNumber,
  VariableIds.Server_ServerArray,
];

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

export async function readServerIdentity(
  session: ClientSession,
  certificate: CertificateInfo | null,
): Promise<DeviceIdentity> {
  let values: unknown[] = [];
  try {
    const read = await session.read(
      NODES.map((id) => ({ nodeId: `i=${id}`, attributeId: AttributeIds.Value })),
    );
    values = read.map((dv) => (dv.statusCode.isGood() ? dv.value.value : null));
  } catch {
    // A server that refuses these reads still has its certificate to show.
  }
  const [manufacturer, product, version, build, serverArray] = values;
  const uri = Array.isArray(serverArray) ? text(serverArray[0]) : null;
  const softwareVersion = text(version);
  // node-opcua servers report "0" unless told otherwise: no information, only noise.
  const buildNumber = text(build) === '0' ? null : text(build);
  return {
    manufacturer: text(manufacturer),
    model: text(product),
    serialNumber: uri ?? certificate?.applicationUri ?? certificate?.subject ?? null,
    version:
      softwareVersion && buildNumber && buildNumber !== softwareVersion
        ? `${softwareVersion} (build ${buildNumber})`
        : (softwareVersion ?? buildNumber),
  };
}
