// OPC UA pollers for the station's composition root, with node-opcua loaded only when the
// site has an opc.tcp device: loading it costs about 1.5 s and 100 MB of memory, which a
// site PC without OPC UA devices (most of them) should not pay at every start. Only types
// are imported statically here; the driver comes in with the first device.
import type { DevicePoller } from '../../core/points/device-poller';
import type { DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { Problem, Result } from '../../core/result';
import type { DeviceConfig } from '../../core/site/site-types';
import type { OpcuaSessionManager, SessionManagerOptions } from './session-manager';

interface Driver {
  manager: OpcuaSessionManager;
  create(device: DeviceConfig): Result<DevicePoller, Problem>;
}

export class OpcuaPollers {
  private driver: Promise<Driver> | null = null;

  constructor(private readonly options: SessionManagerOptions) {}

  /** A poller right away; it starts connecting once the driver has loaded. */
  createPoller(device: DeviceConfig): DevicePoller {
    return new DeferredPoller(
      device.id,
      this.load().then(
        (driver) => driver.create(device),
        (error: unknown) =>
          ({
            ok: false,
            error: { code: 'driver_unavailable', message: `OPC UA driver: ${String(error)}` },
          }) as const,
      ),
    );
  }

  async closeAll(): Promise<void> {
    const driver = this.driver ? await this.driver.catch(() => null) : null;
    await driver?.manager.closeAll();
  }

  private load(): Promise<Driver> {
    this.driver ??= (async () => {
      const [{ OpcuaSessionManager }, { createOpcuaPoller }] = await Promise.all([
        import('./session-manager'),
        import('./opcua-poller-factory'),
      ]);
      const manager = new OpcuaSessionManager(this.options);
      return {
        manager,
        create: (device) => createOpcuaPoller(device, manager, this.options.dataDir),
      };
    })();
    return this.driver;
  }
}

/** Connecting until the real poller exists; offline with the reason if it cannot be made. */
class DeferredPoller implements DevicePoller {
  private inner: DevicePoller | null = null;
  private problem: string | null = null;
  private readonly ready: Promise<void>;

  constructor(
    readonly deviceId: string,
    created: Promise<Result<DevicePoller, Problem>>,
  ) {
    this.ready = created.then((result) => {
      if (result.ok) this.inner = result.value;
      else this.problem = result.error.message;
    });
  }

  async poll(): Promise<DeviceReading | null> {
    await this.ready;
    return this.inner ? this.inner.poll() : null;
  }

  status(): DeviceStatus {
    if (this.inner) return this.inner.status();
    return {
      id: this.deviceId,
      state: this.problem ? 'offline' : 'connecting',
      lastGoodReadMs: null,
      latencyMs: null,
      errorCount: 0,
      lastError: this.problem,
      identity: null,
    };
  }

  async close(): Promise<void> {
    await this.ready;
    await this.inner?.close();
  }
}
