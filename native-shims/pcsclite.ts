/**
 * Thin typed wrapper over the `pcsclite` 1.0.1 NAN binding (no logic: types, constants, loading).
 * `PcscBinding` is the types-only contract; `native-shims/fake-pcsc.ts` implements the same
 * contract with injectable faults. Only `src/transport/` imports this folder (architecture.md).
 *
 * Behaviour of the real binding, measured (docs/pcsc.md and docs/pcsc.md):
 * - errors are plain `Error`s whose message ends with the hex status, e.g.
 *   `SCardTransmit error: Card was removed.(0x80100069)` (node_modules/pcsclite/src/common.h);
 * - `connect()` defaults to EXCLUSIVE: callers must always pass `share_mode` explicitly;
 * - each reader has its own status thread; `close()` on a reader before its first `status`
 *   event leaks a libuv handle and Node never exits (measured: close it after `status`/`end`);
 * - closing the context emits `error` ("Command cancelled", 0x80100002);
 * - when pcscd dies: context and readers emit `error` (0x80100013) then readers emit `end`;
 *   `createContext()` throws while pcscd is down.
 */
import { createRequire } from 'node:module';

/** PC/SC constants as compiled into pcsc-lite (/usr/include/PCSC/pcsclite.h, winscard.h). */
export const PCSC = {
  SCARD_SHARE_EXCLUSIVE: 0x1,
  SCARD_SHARE_SHARED: 0x2,
  SCARD_SHARE_DIRECT: 0x3,
  SCARD_PROTOCOL_T0: 0x1,
  SCARD_PROTOCOL_T1: 0x2,
  SCARD_PROTOCOL_RAW: 0x4,
  SCARD_LEAVE_CARD: 0x0,
  SCARD_RESET_CARD: 0x1,
  SCARD_UNPOWER_CARD: 0x2,
  SCARD_EJECT_CARD: 0x3,
  SCARD_STATE_UNAWARE: 0x0,
  SCARD_STATE_IGNORE: 0x1,
  SCARD_STATE_CHANGED: 0x2,
  SCARD_STATE_UNKNOWN: 0x4,
  SCARD_STATE_UNAVAILABLE: 0x8,
  SCARD_STATE_EMPTY: 0x10,
  SCARD_STATE_PRESENT: 0x20,
  SCARD_STATE_ATRMATCH: 0x40,
  SCARD_STATE_EXCLUSIVE: 0x80,
  SCARD_STATE_INUSE: 0x100,
  SCARD_STATE_MUTE: 0x200,
} as const;

export type PcscShareMode = typeof PCSC.SCARD_SHARE_EXCLUSIVE | typeof PCSC.SCARD_SHARE_SHARED | typeof PCSC.SCARD_SHARE_DIRECT;
export type PcscDisposition =
  | typeof PCSC.SCARD_LEAVE_CARD
  | typeof PCSC.SCARD_RESET_CARD
  | typeof PCSC.SCARD_UNPOWER_CARD
  | typeof PCSC.SCARD_EJECT_CARD;

/** A `status` event: `state` is the SCARD_STATE_* bit set (upper 16 bits: pcscd's event counter). */
export interface PcscStatus {
  state: number;
  atr?: Buffer;
}

export interface PcscConnectOptions {
  /** Always explicit: the binding's default is EXCLUSIVE (docs/pcsc.md). */
  share_mode: PcscShareMode;
  protocol: number;
}

export type PcscCallback<T> = (err: Error | null | undefined, value?: T) => void;

/** One reader object of one context (`CardReader` in the binding). */
export interface PcscReader {
  readonly name: string;
  /** True between a successful connect and disconnect (the binding's own flag). */
  readonly connected: boolean;
  on(event: 'status', listener: (status: PcscStatus) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  once(event: 'status', listener: (status: PcscStatus) => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'end', listener: () => void): this;
  removeListener(event: 'status', listener: (status: PcscStatus) => void): this;
  removeListener(event: 'error', listener: (error: Error) => void): this;
  removeListener(event: 'end', listener: () => void): this;
  /** Callback gets the negotiated protocol. Does nothing (calls back at once) when already connected. */
  connect(options: PcscConnectOptions, callback: PcscCallback<number>): void;
  disconnect(disposition: PcscDisposition, callback: (err: Error | null | undefined) => void): void;
  /** `responseMax` bounds the response buffer (data ‖ SW1 SW2). */
  transmit(data: Buffer, responseMax: number, protocol: number, callback: PcscCallback<Buffer>): void;
  /** Stops the status thread; emits `end`. Only safe after the first `status` (see header). */
  close(): void;
}

/** A PC/SC context (`PCSCLite` in the binding): enumerates readers, emits one object per reader. */
export interface PcscContext {
  /** Readers currently known to this context, by name (the binding deletes ended readers). */
  readonly readers: Readonly<Record<string, PcscReader>>;
  on(event: 'reader', listener: (reader: PcscReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

/** The types-only contract of a PC/SC binding: the real one below, the fake in fake-pcsc.ts. */
export interface PcscBinding {
  /** Establishes a context; throws (`SCardEstablishContext error: ...(0x8010001d)`) when down. */
  createContext(): PcscContext;
}

type PcscliteFactory = () => PcscContext;
let factory: PcscliteFactory | undefined;

/** The real binding; the native addon is loaded on the first `createContext()` only. */
export const nativePcscBinding: PcscBinding = {
  createContext(): PcscContext {
    if (!factory) {
      // CJS addon without type declarations: the cast is the binding edge.
      factory = createRequire(import.meta.url)('pcsclite') as PcscliteFactory;
    }
    return factory();
  },
};
