/**
 * A fake `node-hid` implementing the same `HidBinding` contract as the real binding (style.md §11;
 * the fake-pcsc.ts pair for PC/SC). There is no kernel `uhid` on the test machines, so simulated
 * devices plug in here, at the wrapper boundary: a device is an endpoint that receives output
 * reports and answers with input reports. Faults are injected per report crossing the wire in
 * either direction (0-based index counted from when the fault was set): unplug, corrupt a byte,
 * drop. Error texts mirror the real library's (native-shims/node-hid.ts header).
 */
import type { HidBinding, HidDevice, HidDeviceInfo, HidOpenOptions } from './node-hid.js';

/** The device side: one output report in (without report id), zero or more input reports out. */
export interface FakeHidEndpoint {
  onOutputReport(report: Uint8Array): Uint8Array[];
}

export type FakeHidFault =
  /** The device is unplugged when report `atReport` would cross: that write/read throws. */
  | { kind: 'unplug'; atReport: number }
  /** Byte `byte` of report `atReport` is XORed with `mask` (default 0x01) on the way. */
  | { kind: 'corrupt'; atReport: number; byte: number; mask?: number }
  /** Report `atReport` is lost on the way (the other side never sees it). */
  | { kind: 'drop'; atReport: number };

interface Attached {
  info: HidDeviceInfo;
  endpoint: FakeHidEndpoint;
  plugged: boolean;
  /** Reports crossed since the last fault was set. */
  crossed: number;
  faults: FakeHidFault[];
}

export class FakeHid implements HidBinding {
  /** Every `devices()` call (lets tests check the polling pace). */
  enumerations = 0;
  readonly opened: FakeHidDevice[] = [];
  private readonly attached = new Map<string, Attached>();
  private nextPath = 0;

  async devices(): Promise<HidDeviceInfo[]> {
    this.enumerations++;
    await new Promise((r) => setImmediate(r));
    return [...this.attached.values()].filter((a) => a.plugged).map((a) => ({ ...a.info }));
  }

  async open(path: string, _options: HidOpenOptions): Promise<HidDevice> {
    await new Promise((r) => setImmediate(r));
    const a = this.attached.get(path);
    if (!a || !a.plugged) throw new Error(`cannot open device with path ${path}`);
    const device = new FakeHidDevice(this, path);
    this.opened.push(device);
    return device;
  }

  // ---- test controls -------------------------------------------------------------------
  /** Plugs a device in; returns its path (`/dev/hidraw-fake<n>` unless `info.path` is given). */
  plug(info: Omit<HidDeviceInfo, 'path'> & { path?: string }, endpoint: FakeHidEndpoint): string {
    const path = info.path ?? `/dev/hidraw-fake${this.nextPath++}`;
    this.attached.set(path, { info: { ...info, path }, endpoint, plugged: true, crossed: 0, faults: [] });
    return path;
  }

  unplug(path: string): void {
    const a = this.attached.get(path);
    if (a) a.plugged = false;
    for (const d of this.opened) if (d.path === path) d.wake();
  }

  /** Arms a fault on `path` and restarts its report count at 0. */
  injectFault(path: string, fault: FakeHidFault): void {
    const a = this.mustGet(path);
    a.faults.push(fault);
    a.crossed = 0;
  }

  clearFaults(path: string): void {
    const a = this.mustGet(path);
    a.faults.length = 0;
  }

  /** Reports crossed on `path` since the last fault was set (both directions). */
  reportsCrossed(path: string): number {
    return this.mustGet(path).crossed;
  }

  /** Devices opened and not closed (leak check). */
  openHandles(): number {
    return this.opened.filter((d) => !d.closed).length;
  }

  // ---- used by FakeHidDevice -------------------------------------------------------------
  isPlugged(path: string): boolean {
    return this.attached.get(path)?.plugged === true;
  }

  /** Applies the fault for the report about to cross; `undefined` = dropped. Throws on unplug. */
  cross(path: string, report: Uint8Array, direction: 'in' | 'out'): Uint8Array | undefined {
    const a = this.mustGet(path);
    const index = a.crossed++;
    let out: Uint8Array | undefined = Uint8Array.from(report);
    for (const f of a.faults) {
      if (f.atReport !== index) continue;
      if (f.kind === 'unplug') {
        this.unplug(path);
        throw new Error(direction === 'out' ? 'Cannot write to hid device' : 'could not read from HID device');
      }
      if (f.kind === 'drop') out = undefined;
      else if (out && f.byte < out.length) out[f.byte] = out[f.byte]! ^ (f.mask ?? 0x01);
    }
    return out;
  }

  endpointOf(path: string): FakeHidEndpoint {
    return this.mustGet(path).endpoint;
  }

  private mustGet(path: string): Attached {
    const a = this.attached.get(path);
    if (!a) throw new Error(`fake HID: no device ${path}`);
    return a;
  }
}

export class FakeHidDevice implements HidDevice {
  closed = false;
  /** Input reports queued by the endpoint, not yet read. */
  private readonly inbox: Uint8Array[] = [];
  private waiter: (() => void) | undefined;

  constructor(
    private readonly fake: FakeHid,
    readonly path: string,
  ) {}

  async write(data: Buffer): Promise<number> {
    await new Promise((r) => setImmediate(r));
    if (this.closed || !this.fake.isPlugged(this.path)) throw new Error('Cannot write to hid device');
    // Byte 0 is the report id (node-hid.ts header); the device sees the report without it.
    const report = this.fake.cross(this.path, Uint8Array.from(data.subarray(1)), 'out');
    if (report) for (const answer of this.fake.endpointOf(this.path).onOutputReport(report)) this.inbox.push(answer);
    this.wake();
    return data.length;
  }

  async read(timeoutMs: number): Promise<Buffer | undefined> {
    for (;;) {
      if (this.closed || !this.fake.isPlugged(this.path)) throw new Error('could not read from HID device');
      const next = this.inbox.shift();
      if (next) {
        const crossed = this.fake.cross(this.path, next, 'in');
        if (crossed) return Buffer.from(crossed);
        continue; // dropped on the way
      }
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve(false);
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve(true);
        };
      });
      if (!arrived) return undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
  }

  wake(): void {
    this.waiter?.();
  }
}
