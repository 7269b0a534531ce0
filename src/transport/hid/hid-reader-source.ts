import { nativeHidBinding, type HidBinding, type HidDeviceInfo } from '../../../native-shims/node-hid.js';
import { toHex } from '../../core/hex.js';
import type { CardConnector, CardTransport } from '../card-transport.js';
import type { ReaderInfo } from '../reader-info.js';
import type { ReaderEvent, ReaderMonitor, ReaderState } from '../reader-monitor.js';
import type { ReaderSource } from '../reader-source.js';
import { TransportError } from '../transport-error.js';
import { HidCardTransport } from './hid-card-transport.js';
import type { HidCardStatus, HidDriverSession, HidReaderDriver } from './hid-reader-driver.js';
import { hidReaderInfo } from './hid-reader-info.js';
import { HidReportChannel } from './hid-report-channel.js';
import { referenceHidDriver } from './reference/reference-driver.js';

export interface HidReaderSourceOptions {
  /** The node-hid binding (default the real one; tests pass native-shims/fake-hid.ts). */
  readonly binding?: HidBinding;
  /** Drivers tried in order; the first whose `matches` accepts a device serves it. */
  readonly drivers?: readonly HidReaderDriver[];
  /** Hot-plug and card-presence poll period (default 1000 ms: a low rate, docs/readers.md). */
  readonly pollMs?: number;
  /** Per-report answer timeout of the drivers (default 5000 ms). */
  readonly timeoutMs?: number;
}

interface Slot {
  readonly path: string;
  readonly reader: ReaderInfo;
  readonly channel: HidReportChannel;
  readonly session: HidDriverSession;
  status: HidCardStatus;
  atr: Uint8Array | undefined;
  /** An open CardTransport holds the device (one at a time: per-device exclusive access). */
  held: boolean;
  queue: Promise<unknown>;
}

/**
 * USB-HID card readers as one ReaderSource (docs/readers.md): enumerates HID devices at a low rate
 * (hot-plug), opens those a driver matches, polls each idle reader's card slot, and connects one
 * CardTransport at a time per device. An unplug (enumeration, or a read/write failing mid-APDU)
 * drops the reader at once with `card-removed` + `reader-removed`.
 */
export class HidReaderSource implements ReaderSource, ReaderMonitor, CardConnector {
  readonly name = 'hid';
  readonly monitor = this;
  readonly connector = this;
  private readonly binding: HidBinding;
  private readonly drivers: readonly HidReaderDriver[];
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(e: ReaderEvent) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(options: HidReaderSourceOptions = {}) {
    this.binding = options.binding ?? nativeHidBinding;
    this.drivers = options.drivers ?? [referenceHidDriver];
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  readers(): ReaderState[] {
    return [...this.slots.values()].map((s) => ({
      reader: s.reader,
      cardPresent: s.status.present,
      ...(s.status.present && s.atr ? { atr: toHex(s.atr) } : {}),
      ...(s.status.cardInterface ? { cardInterface: s.status.cardInterface } : {}),
    }));
  }

  on(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    for (const s of [...this.slots.values()]) await this.drop(s, false);
    this.listeners.clear();
  }

  /** One enumeration + card-slot round (the timer calls it; tests may call it to skip the wait). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async connect(readerName: string, options?: { signal?: AbortSignal }): Promise<CardTransport> {
    const slot = [...this.slots.values()].find((s) => s.reader.name === readerName || s.reader.id === readerName);
    if (!slot) throw new TransportError('READER_NOT_FOUND', `no HID reader "${readerName}"`);
    if (slot.held) throw new TransportError('SHARING_VIOLATION', `HID reader "${slot.reader.name}" is in use by another operation`);
    if (options?.signal?.aborted) throw new TransportError('CANCELLED', `cancelled before connecting to "${slot.reader.name}"`);
    slot.held = true;
    try {
      const atr = await this.serialize(slot, () => slot.session.powerOn(options?.signal));
      this.noteCard(slot, slot.status.present ? slot.status : { present: true }, atr);
      return new HidCardTransport({
        reader: slot.reader,
        atr,
        session: slot.session,
        serialize: (fn) => this.serialize(slot, fn),
        onError: (e) => this.onFailure(slot, e),
        onClose: () => (slot.held = false),
      });
    } catch (e) {
      slot.held = false;
      this.onFailure(slot, e);
      throw e;
    }
  }

  private async pollOnce(): Promise<void> {
    let devices: HidDeviceInfo[];
    try {
      devices = await this.binding.devices();
    } catch {
      return; // enumeration failed this round; the next round retries
    }
    if (this.stopped) return;
    const present = new Set(devices.map((d) => d.path).filter((p): p is string => p !== undefined));
    for (const s of [...this.slots.values()]) if (!present.has(s.path)) await this.drop(s, true);
    for (const d of devices) {
      if (d.path === undefined || this.slots.has(d.path)) continue;
      const driver = this.drivers.find((x) => x.matches(d));
      if (driver) await this.add(d, d.path, driver);
    }
    for (const s of [...this.slots.values()]) if (!s.held) await this.refresh(s);
  }

  private async add(device: HidDeviceInfo, path: string, driver: HidReaderDriver): Promise<void> {
    const reader = hidReaderInfo(device, driver);
    let channel: HidReportChannel;
    try {
      channel = new HidReportChannel(await this.binding.open(path, { nonExclusive: false }), reader.name, driver.reportSize);
    } catch {
      return; // another program holds it, or it vanished between enumeration and open
    }
    if (this.stopped) return void (await channel.close());
    const slot: Slot = { path, reader, channel, session: driver.session(channel, { timeoutMs: this.timeoutMs }), status: { present: false }, atr: undefined, held: false, queue: Promise.resolve() };
    this.slots.set(path, slot);
    this.emit({ type: 'reader-added', reader });
  }

  private async refresh(slot: Slot): Promise<void> {
    try {
      const status = await this.serialize(slot, () => slot.session.cardStatus());
      if (status.present && !slot.status.present) {
        const atr = await this.serialize(slot, () => slot.session.powerOn());
        this.noteCard(slot, status, atr);
      } else if (!status.present && slot.status.present) {
        this.noteCard(slot, status, undefined);
      }
    } catch (e) {
      this.onFailure(slot, e);
    }
  }

  private noteCard(slot: Slot, status: HidCardStatus, atr: Uint8Array | undefined): void {
    const was = slot.status.present;
    slot.status = status;
    slot.atr = status.present ? atr : undefined;
    if (status.present && !was && atr) this.emit({ type: 'card-inserted', reader: slot.reader, atr: toHex(atr) });
    if (!status.present && was) this.emit({ type: 'card-removed', reader: slot.reader });
  }

  private onFailure(slot: Slot, e: unknown): void {
    if (!(e instanceof TransportError)) return;
    if (e.code === 'READER_REMOVED') void this.drop(slot, true);
    else if (e.code === 'NO_CARD') this.noteCard(slot, { present: false }, undefined);
  }

  private async drop(slot: Slot, announce: boolean): Promise<void> {
    if (this.slots.get(slot.path) !== slot) return;
    this.slots.delete(slot.path);
    if (announce && slot.status.present) this.emit({ type: 'card-removed', reader: slot.reader });
    if (announce) this.emit({ type: 'reader-removed', reader: slot.reader });
    await slot.channel.close();
  }

  private serialize<T>(slot: Slot, fn: () => Promise<T>): Promise<T> {
    const run = slot.queue.then(fn);
    slot.queue = run.catch(() => undefined);
    return run;
  }

  private emit(e: ReaderEvent): void {
    for (const l of this.listeners) l(e);
  }
}
