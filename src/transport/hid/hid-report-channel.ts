import type { HidDevice } from '../../../native-shims/node-hid.js';
import { TransportError } from '../transport-error.js';
import { readerRemoved } from './hid-error.js';

/**
 * Report I/O on one open HID device for a driver: fixed-size output reports (the report id 0x00
 * is prepended here, node-hid.ts header), input reports with a timeout, and the typed errors of
 * the HID transport (READER_REMOVED when the device is gone, TIMEOUT, CANCELLED).
 */
export class HidReportChannel {
  private gone = false;

  constructor(
    private readonly device: HidDevice,
    readonly readerName: string,
    /** Size of one report without the report id (the driver's report size). */
    readonly reportSize: number,
  ) {}

  get unplugged(): boolean {
    return this.gone;
  }

  async send(report: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.check(signal);
    if (report.length !== this.reportSize) {
      throw new TransportError('PROTOCOL_ERROR', `output report of ${report.length} bytes for a ${this.reportSize}-byte report`);
    }
    const data = Buffer.alloc(this.reportSize + 1);
    data.set(report, 1);
    try {
      await this.device.write(data);
    } catch (e) {
      throw this.removed(e);
    } finally {
      data.fill(0); // APDU data (a VERIFY on a non-pad reader) does not linger in a pool
    }
  }

  /** One input report; TIMEOUT when none arrives within `timeoutMs`. */
  async receive(timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    this.check(signal);
    let report: Buffer | undefined;
    try {
      report = await this.device.read(timeoutMs);
    } catch (e) {
      throw this.removed(e);
    }
    this.check(signal);
    if (report === undefined) throw new TransportError('TIMEOUT', `HID reader "${this.readerName}" did not answer within ${timeoutMs} ms`);
    return Uint8Array.from(report);
  }

  /** Drains input reports left over from an aborted exchange (stale answers). */
  async drain(): Promise<void> {
    if (this.gone) return;
    try {
      while ((await this.device.read(0)) !== undefined);
    } catch (e) {
      this.removed(e);
    }
  }

  async close(): Promise<void> {
    try {
      await this.device.close();
    } catch {
      // an unplugged device has nothing left to close
    }
  }

  private check(signal: AbortSignal | undefined): void {
    if (this.gone) throw readerRemoved(this.readerName, undefined);
    if (signal?.aborted) throw new TransportError('CANCELLED', `cancelled during an exchange with "${this.readerName}"`);
  }

  private removed(e: unknown): TransportError {
    this.gone = true;
    return readerRemoved(this.readerName, e);
  }
}
