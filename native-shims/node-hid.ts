/**
 * Thin typed wrapper over `node-hid` 3.4 (no logic: types and loading). `HidBinding` is the
 * types-only contract; `native-shims/fake-hid.ts` implements the same contract so the HID
 * transport is tested without a device (there is no kernel `uhid` on the test machines: the fake
 * sits at this boundary, see docs/readers.md). Only `src/transport/hid/` imports this file.
 *
 * Behaviour of the real library that callers rely on (node_modules/node-hid/nodehid.js, hidapi):
 * - `devicesAsync()` enumerates without opening anything; `path` identifies one interface;
 * - `HIDAsync.open(path)` opens the hidraw node; on Linux exclusivity is not enforced by the
 *   kernel (`nonExclusive` only matters on macOS): the transport keeps its own per-device lock;
 * - `write(bytes)`: the first byte is the report id (0x00 for devices without numbered reports),
 *   so a 64-byte report is written as 65 bytes; returns the number of bytes written;
 * - `read(timeoutMs)` resolves with one input report (without report id on unnumbered devices)
 *   or `undefined` on timeout;
 * - after the device is unplugged, `read` and `write` throw plain `Error`s
 *   ("could not read from HID device", "Cannot write to hid device").
 */
import { createRequire } from 'node:module';

/** One HID interface as enumerated (node-hid's `Device`). */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly product?: string | undefined;
  readonly release: number;
  readonly interface: number;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

/** An open HID device (node-hid's `HIDAsync`). */
export interface HidDevice {
  /** Writes one output report; byte 0 is the report id. Resolves with the bytes written. */
  write(data: Buffer): Promise<number>;
  /** One input report, or `undefined` when none arrived within `timeoutMs`. */
  read(timeoutMs: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export interface HidOpenOptions {
  /** Passed through to hidapi (macOS only); always explicit. */
  readonly nonExclusive: boolean;
}

/** The types-only contract of a HID binding: the real one below, the fake in fake-hid.ts. */
export interface HidBinding {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string, options: HidOpenOptions): Promise<HidDevice>;
}

interface NodeHidModule {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  HIDAsync: { open(path: string, options: HidOpenOptions): Promise<HidDevice> };
}

let loaded: NodeHidModule | undefined;
function nodeHid(): NodeHidModule {
  // CJS addon loaded from its bundled prebuild on first use; the cast is the binding edge.
  loaded ??= createRequire(import.meta.url)('node-hid') as NodeHidModule;
  return loaded;
}

/** The real binding; the native addon is loaded on the first call only. */
export const nativeHidBinding: HidBinding = {
  devices: () => nodeHid().devicesAsync(),
  open: (path, options) => nodeHid().HIDAsync.open(path, options),
};
