// One link per physical connection: every device whose endpoint has the same linkKey (same
// host:port and framing, or same serial port) shares one link and therefore one queue.
import type { DeviceEndpoint } from '../../core/site/device-url';
import { linkKey } from '../../core/site/device-url';
import { fail, ok, type Problem, type Result } from '../../core/result';
import type { ModbusConnector } from './connector';
import type { LinkOptions, RequestOptions } from './link-options';
import { ModbusLink } from './modbus-link';
import type { ModbusUnit } from './modbus-unit';
import { rtuConnector } from './rtu-connector';
import { rtuOverTcpConnector } from './rtu-over-tcp-connector';
import { tcpConnector } from './tcp-connector';

export type ConnectorFactory = (endpoint: DeviceEndpoint) => Result<ModbusConnector, Problem>;

/** Modbus TCP, RTU over a serial port, and RTU frames over TCP (serial gateways). */
export const defaultConnectorFor: ConnectorFactory = (endpoint) => {
  switch (endpoint.kind) {
    case 'modbus-tcp':
      return ok(tcpConnector(endpoint.host, endpoint.port));
    case 'modbus-rtuovertcp':
      return ok(rtuOverTcpConnector(endpoint.host, endpoint.port));
    case 'modbus-rtu':
      return ok(rtuConnector(endpoint));
    default:
      return fail({
        code: 'unsupported_transport',
        message: `no Modbus transport for ${endpoint.kind}`,
      });
  }
};

export class LinkPool {
  private readonly links = new Map<string, ModbusLink>();

  constructor(
    private readonly options: Partial<LinkOptions> = {},
    private readonly connectorFor: ConnectorFactory = defaultConnectorFor,
  ) {}

  get size(): number {
    return this.links.size;
  }

  /** The shared link for this endpoint, created on first use (a closed one is replaced). */
  link(endpoint: DeviceEndpoint): Result<ModbusLink, Problem> {
    const key = linkKey(endpoint);
    const existing = this.links.get(key);
    if (existing && existing.state !== 'closed') return ok(existing);
    const connector = this.connectorFor(endpoint);
    if (!connector.ok) return connector;
    const link = new ModbusLink(connector.value, this.options);
    this.links.set(key, link);
    return ok(link);
  }

  /** The unit the endpoint names (its `unit=` id), on the shared link. */
  unit(endpoint: DeviceEndpoint, options: RequestOptions = {}): Result<ModbusUnit, Problem> {
    if (endpoint.kind === 'opcua')
      return fail({ code: 'unsupported_transport', message: 'not a Modbus endpoint' });
    const link = this.link(endpoint);
    return link.ok ? ok(link.value.unit(endpoint.unitId, options)) : link;
  }

  /** Closes every link (pending requests settle with 'closed'); the pool can be used again. */
  async closeAll(): Promise<void> {
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all(links.map((link) => link.close()));
  }
}
