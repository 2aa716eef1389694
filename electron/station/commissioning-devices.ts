// The site's devices at run time: one poll loop per polled device, and the commissioning
// flow of Home Assistant for every change: connect → identify (serial number) → refuse
// duplicates → store the typed config → enable only after a first good read. A device
// waiting for that read is polled but stored disabled, so it counts in no site total.
import { ApiError } from '../../core/api/dispatcher';
import type {
  DeviceChangeResult,
  DeviceChanges,
  DeviceInput,
  SiteState,
} from '../../core/api/station-api';
import type { DevicePoller } from '../../core/points/device-poller';
import type { DeviceSetpoint, SetpointResult } from '../../core/points/device-setpoint';
import type { DeviceIdentity, DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { Problem, Result } from '../../core/result';
import {
  addDevice,
  deviceWithSerial,
  removeDevice,
  setDeviceEnabled,
  updateDevice,
  type SiteEdit,
} from '../../core/site/site-edit';
import type { DeviceConfig, DeviceRole, Site } from '../../core/site/site-types';
import { deviceConnection } from './commissioning-opcua-handlers';
import type { OpcuaTools } from './commissioning-opcua';
import { startPollLoop, type PollLoop } from './poll-loop';
import type { Clock } from './station-clock';

export interface ProfileRefusal {
  code: 'unknown_profile' | 'profile_role';
  message: string;
}

export interface DeviceManagerDeps {
  site: Site;
  /** Stores a changed site; null while the demo runs (its changes are not kept). */
  persist: ((site: Site) => void) | null;
  createPoller(device: DeviceConfig): DevicePoller;
  /** Why a device of this role may not use this profile (unknown, or for other roles); null if it may. */
  refuseProfile(profile: string, role: DeviceRole): ProfileRefusal | null;
  /** Reads a unit's identity; null when the station has no commissioning tools. */
  identify: ((url: string) => Promise<Result<DeviceIdentity, Problem>>) | null;
  /** Connects to OPC UA devices before they are stored and keeps their passwords; null: none. */
  opcua: OpcuaTools | null;
  clock: Clock;
  onReading(reading: DeviceReading): void;
  onStatus(status: DeviceStatus): void;
  /** The running site changed (sites handed out are never mutated afterwards). */
  onSite(site: Site): void;
  onState(state: SiteState): void;
}

export class DeviceManager {
  #site: Site;
  readonly #loops = new Map<string, PollLoop>();
  readonly #verifying = new Set<string>();
  /** Identities seen at commissioning or reported by pollers, for the duplicate check. */
  readonly #identities = new Map<string, DeviceIdentity | null>();
  /** Changes run one at a time: each decides on the site the previous one left. */
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(private readonly deps: DeviceManagerDeps) {
    this.#site = deps.site;
  }

  get site(): Site {
    return this.#site;
  }

  state(): SiteState {
    return {
      site: this.#site,
      verifyingIds: [...this.#verifying],
      persistent: this.deps.persist !== null,
    };
  }

  start(): void {
    for (const device of this.#site.devices) if (device.enabled) this.#startLoop(device);
  }

  async add(input: DeviceInput): Promise<DeviceChangeResult> {
    const { opcuaPassword, ...fields } = input;
    // Cheap refusals first, so a typo never costs a round trip to the field.
    const draft = findDevice(check(addDevice(this.#site, fields)), fields.id);
    if (fields.profile !== undefined) this.#checkProfile(fields.profile, fields.role);
    const opcua = isOpcua(draft);
    if (!opcua && opcuaPassword !== undefined)
      throw new ApiError('bad_request', 'opcuaPassword is only for opc.tcp:// devices');
    const identity = opcua
      ? await this.#identifyOpcua(draft, opcuaPassword ?? null)
      : await this.#identify(fields.url, fields.profile);
    return this.#serial(async () => {
      const site = check(addDevice(this.#site, fields));
      // Devices on one OPC UA server share its identity: only Modbus units can be twins.
      if (!opcua) this.#refuseTwin(identity, fields.id);
      if (opcua) await this.#savePassword(fields.id, opcuaPassword ?? null);
      this.#identities.set(fields.id, identity);
      this.#commit(site);
      return this.#verify(fields.id, identity);
    });
  }

  async update(id: string, changes: DeviceChanges): Promise<DeviceChangeResult> {
    const { opcuaPassword, ...fieldChanges } = changes;
    const before = check(updateDevice(this.#site, id, fieldChanges));
    const next = findDevice(before, id);
    const old = findDevice(this.#site, id);
    if (next.profile !== undefined && (next.profile !== old.profile || next.role !== old.role))
      this.#checkProfile(next.profile, next.role);
    const opcua = isOpcua(next);
    if (!opcua && typeof opcuaPassword === 'string')
      throw new ApiError('bad_request', 'opcuaPassword is only for opc.tcp:// devices');
    // A new endpoint, driver, security or mapping may be another device: check it again.
    const moved =
      next.url !== old.url ||
      next.profile !== old.profile ||
      (opcua &&
        (JSON.stringify(next.opcua) !== JSON.stringify(old.opcua) || opcuaPassword !== undefined));
    const password = !opcua
      ? null
      : opcuaPassword !== undefined
        ? opcuaPassword
        : this.#storedPassword(id);
    const identity = !moved
      ? null
      : opcua
        ? await this.#identifyOpcua(next, password)
        : await this.#identify(next.url, next.profile);
    return this.#serial(async () => {
      const site = check(updateDevice(this.#site, id, fieldChanges));
      if (moved && !opcua) this.#refuseTwin(identity, id);
      const polled = this.#loops.has(id);
      await this.#stopLoop(id);
      if (opcuaPassword !== undefined || !opcua) await this.#savePassword(id, password);
      if (moved) this.#identities.set(id, identity);
      const device = findDevice(site, id);
      if (moved && device.enabled) {
        this.#commit(check(setDeviceEnabled(site, id, false)));
        return this.#verify(id, identity);
      }
      this.#commit(site);
      if (polled) this.#startLoop(device);
      return this.#result(id, identity);
    });
  }

  remove(id: string): Promise<{ id: string }> {
    return this.#serial(async () => {
      const site = check(removeDevice(this.#site, id));
      await this.#stopLoop(id);
      this.#verifying.delete(id);
      this.#identities.delete(id);
      this.#commit(site);
      // After the commit: a device that is gone needs no password, one that stays keeps it.
      await this.#savePassword(id, null);
      return { id };
    });
  }

  enable(id: string, enabled: boolean): Promise<DeviceChangeResult> {
    return this.#serial(async () => {
      const device = findDevice(this.#site, id);
      if (!enabled) {
        await this.#stopLoop(id);
        this.#verifying.delete(id);
        this.#commit(check(setDeviceEnabled(this.#site, id, false)));
        this.deps.onStatus(statusOf(id, 'disabled', this.#identities.get(id) ?? null));
        return this.#result(id, null);
      }
      if (device.enabled || this.#verifying.has(id)) return this.#result(id, null);
      return this.#verify(id, null);
    });
  }

  /**
   * Sends a control setpoint to a polled device: the poller queues it for the start of its
   * next poll and the loop polls at once, so a setpoint does not wait for the next boundary.
   */
  async apply(deviceId: string, setpoint: DeviceSetpoint): Promise<SetpointResult> {
    const loop = this.#loops.get(deviceId);
    if (!loop)
      return { ok: false, error: { code: 'not_polled', message: `${deviceId} is not polled` } };
    if (!loop.poller.apply)
      return {
        ok: false,
        error: { code: 'unsupported', message: `${deviceId} takes no setpoints` },
      };
    const done = loop.poller.apply(setpoint);
    loop.kick();
    return done;
  }

  /**
   * Resolves when the polls now in flight have delivered their readings, or after
   * deadlineMs. Devices already offline are not waited for: their timeouts would hold up
   * every cycle, and their points are stale either way.
   */
  async settle(deadlineMs: number): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const loop of this.#loops.values()) {
      const inFlight = loop.inFlight();
      if (inFlight && loop.poller.status().state !== 'offline') pending.push(inFlight);
    }
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    await Promise.race([Promise.all(pending), deadline]);
    clearTimeout(timer);
  }

  /** The device of the site that reported this serial number, if any. */
  deviceWithSerial(serial: string | null): string | null {
    const twin = deviceWithSerial(this.#serials(), serial);
    return twin && this.#site.devices.some((d) => d.id === twin) ? twin : null;
  }

  /** Identities the pollers report, so later duplicates are found by serial number. */
  noteStatus(status: DeviceStatus): void {
    if (status.identity) this.#identities.set(status.id, status.identity);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue.catch(() => {});
    await Promise.all([...this.#loops.keys()].map((id) => this.#stopLoop(id)));
  }

  /** Starts polling a stored-disabled device; its first good read enables it. */
  #verify(id: string, identity: DeviceIdentity | null): DeviceChangeResult {
    this.#verifying.add(id);
    this.#startLoop(findDevice(this.#site, id));
    this.deps.onState(this.state());
    return this.#result(id, identity);
  }

  #verified(id: string): void {
    void this.#serial(() => {
      if (!this.#verifying.delete(id)) return;
      const edit = setDeviceEnabled(this.#site, id, true);
      if (edit.ok) this.#commit(edit.value);
    }).catch(() => {
      // A failed save leaves the device verifying; its next good read tries again.
      this.#verifying.add(id);
    });
  }

  #checkProfile(profile: string, role: DeviceRole): void {
    const refusal = this.deps.refuseProfile(profile, role);
    if (refusal) throw new ApiError(refusal.code, refusal.message);
  }

  async #identify(url: string, profile: string | undefined): Promise<DeviceIdentity | null> {
    // Devices with a profile have no SunSpec common model to read a serial number from.
    if (profile !== undefined || !this.deps.identify) return null;
    const identity = await this.deps.identify(url);
    if (!identity.ok)
      throw new ApiError(
        'device_error',
        `could not identify the device: ${identity.error.message}`,
      );
    return identity.value;
  }

  async #identifyOpcua(
    device: DeviceConfig,
    password: string | null,
  ): Promise<DeviceIdentity | null> {
    const tools = this.deps.opcua;
    if (!tools) return null;
    if (!device.opcua)
      throw new ApiError(
        'invalid_site',
        'an opc.tcp:// device needs its opcua section: security and which node feeds which point',
      );
    if (device.opcua.username !== undefined && password === null)
      throw new ApiError(
        'bad_request',
        `opcuaPassword is needed for OPC UA user "${device.opcua.username}"`,
      );
    const identity = await tools.identify(deviceConnection(device, password));
    if (!identity.ok)
      throw new ApiError(identity.error.code, `could not connect: ${identity.error.message}`);
    return identity.value;
  }

  #storedPassword(id: string): string | null {
    const stored = this.deps.opcua?.password(id);
    if (stored && !stored.ok) throw new ApiError(stored.error.code, stored.error.message);
    return stored?.value ?? null;
  }

  async #savePassword(id: string, password: string | null): Promise<void> {
    const saved = await this.deps.opcua?.savePassword(id, password);
    if (saved && !saved.ok) throw new ApiError(saved.error.code, saved.error.message);
  }

  #serials(): Map<string, string | null> {
    return new Map(
      [...this.#identities].map(([deviceId, known]) => [deviceId, known?.serialNumber ?? null]),
    );
  }

  #refuseTwin(identity: DeviceIdentity | null, id: string): void {
    const twin = deviceWithSerial(this.#serials(), identity?.serialNumber ?? null, id);
    if (twin && this.#site.devices.some((d) => d.id === twin)) {
      throw new ApiError(
        'duplicate',
        `serial number ${identity?.serialNumber ?? ''} belongs to device "${twin}" already`,
      );
    }
  }

  #commit(site: Site): void {
    // Store first: if the disk refuses, nothing in the running station has changed.
    this.deps.persist?.(site);
    this.#site = site;
    this.deps.onSite(site);
    this.deps.onState(this.state());
  }

  #startLoop(device: DeviceConfig): void {
    if (this.#stopped) return;
    // A fresh start: no status left over from an earlier device of the same id or URL.
    this.deps.onStatus(statusOf(device.id, 'connecting', this.#identities.get(device.id) ?? null));
    const loop = startPollLoop(
      this.deps.createPoller(device),
      device.pollIntervalMs,
      this.deps.clock,
      (reading) => {
        this.deps.onReading(reading);
        if (this.#verifying.has(device.id)) this.#verified(device.id);
      },
      (status) => {
        this.noteStatus(status);
        this.deps.onStatus(status);
      },
    );
    this.#loops.set(device.id, loop);
  }

  async #stopLoop(id: string): Promise<void> {
    const loop = this.#loops.get(id);
    this.#loops.delete(id);
    await loop?.stop();
  }

  #result(id: string, identity: DeviceIdentity | null): DeviceChangeResult {
    return {
      device: findDevice(this.#site, id),
      verifying: this.#verifying.has(id),
      identity,
    };
  }

  #serial<T>(change: () => T | Promise<T>): Promise<T> {
    if (this.#stopped)
      return Promise.reject(new ApiError('unavailable', 'the station is stopping'));
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => {});
    return run;
  }
}

const isOpcua = (device: DeviceConfig): boolean => device.url.toLowerCase().startsWith('opc.tcp:');

function check(edit: SiteEdit): Site {
  if (edit.ok) return edit.value;
  throw new ApiError(edit.error.code, edit.error.message);
}

function findDevice(site: Site, id: string): DeviceConfig {
  const device = site.devices.find((d) => d.id === id);
  if (!device) throw new ApiError('not_found', `no device "${id}" in this site`);
  return device;
}

function statusOf(
  id: string,
  state: DeviceStatus['state'],
  identity: DeviceIdentity | null,
): DeviceStatus {
  return {
    id,
    state,
    lastGoodReadMs: null,
    latencyMs: null,
    errorCount: 0,
    lastError: null,
    identity,
  };
}
