import { nativePcscBinding, PCSC, type PcscContext, type PcscReader } from '../native-shims/pcsclite.js';

/**
 * The baseline: the bare pcsclite binding, no sscard code in between (one context, one reader
 * object, callbacks wrapped in promises). Used to measure sscard's own overhead side by side.
 */
export class RawPcsc {
  readonly context: PcscContext;
  private readonly readers = new Map<string, PcscReader>();
  private readonly statusListeners = new Set<(name: string, present: boolean) => void>();

  constructor() {
    this.context = nativePcscBinding.createContext();
    this.context.on('error', () => undefined);
    this.context.on('reader', (r) => {
      this.readers.set(r.name, r);
      r.on('error', () => undefined);
      r.on('status', (s) => {
        const present = (s.state & PCSC.SCARD_STATE_PRESENT) !== 0;
        for (const l of this.statusListeners) l(r.name, present);
      });
    });
  }

  onStatus(listener: (name: string, present: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  async waitReader(name: string): Promise<PcscReader> {
    for (let i = 0; i < 300 && !this.readers.has(name); i++) await new Promise((r) => setTimeout(r, 10));
    const r = this.readers.get(name);
    if (!r) throw new Error(`raw pcsclite: no reader ${name}`);
    return r;
  }

  async connect(name: string): Promise<{ transmit(c: Uint8Array): Promise<Uint8Array>; close(): Promise<void> }> {
    const reader = await this.waitReader(name);
    const protocol = await new Promise<number>((res, rej) =>
      reader.connect({ share_mode: PCSC.SCARD_SHARE_EXCLUSIVE, protocol: PCSC.SCARD_PROTOCOL_T0 | PCSC.SCARD_PROTOCOL_T1 }, (e, p) => (e ? rej(e) : res(p!))),
    );
    return {
      transmit: (c) => new Promise((res, rej) => reader.transmit(Buffer.from(c), 65538, protocol, (e, d) => (e ? rej(e) : res(new Uint8Array(d!))))),
      close: () => new Promise((res) => reader.disconnect(PCSC.SCARD_LEAVE_CARD, () => res())),
    };
  }

  /** Closes every reader (after its first status) and the context: else Node never exits. */
  close(): void {
    for (const r of this.readers.values()) r.close();
    this.context.close();
  }
}
