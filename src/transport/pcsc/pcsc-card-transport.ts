import { PCSC, type PcscReader } from '../../../native-shims/pcsclite.js';
import type { CardTransport } from '../card-transport.js';
import type { ReaderControl } from '../reader-control.js';
import type { ReaderInfo } from '../reader-info.js';
import { TransportError } from '../transport-error.js';
import { PcscStatus, toTransportError } from './pcsc-error.js';

/** Largest response we accept: 65,536 data bytes (extended Le) + SW1 SW2. */
export const PCSC_MAX_RESPONSE = 65538;

export interface PcscCardTransportInit {
  /** A reader object already connected by PcscConnector (exclusive). */
  raw: PcscReader;
  reader: ReaderInfo;
  atr: Uint8Array;
  /** Protocol negotiated by connect (SCARD_PROTOCOL_T0 or _T1). */
  protocol: number;
  /** Called once, after the disconnect, to release the per-reader lock. */
  onClose?: () => void;
  /**
   * Asked at close({ nextQueued: true }), synchronously: true takes the still-connected handle
   * (and the per-reader lock) over for the next operation on this reader, instead of disconnect +
   * onClose. Only asked when no transmit or control of this connection failed.
   */
  handOver?: () => boolean;
  /** Called with every transmit failure (lets the context manager notice a pcscd death). */
  onError?: (error: TransportError) => void;
  /**
   * Asked after an ambiguous failure (empty response, SCARD_E_NOT_TRANSACTED): resolves true when
   * the reader's status shows the card gone. Measured with vpcd: the APDU during which the card
   * is pulled returns 0 bytes, the next ones 0x80100016 until pcscd's ~400 ms poll, then 0x80100069.
   */
  cardGone?: () => Promise<boolean>;
}

/**
 * A CardTransport over one connected pcsclite reader: the whole port is `transmit` (docs/architecture.md "Conventions").
 * Transmits are serialized in call order; `close()` waits for the one in flight, then hands the
 * healthy handle to the connector (`handOver`) or disconnects with SCARD_LEAVE_CARD (the card stays
 * powered for the next operation: no power-down and re-power between operations). A call made
 * while nothing is pending reaches the binding before it returns (see `serial`).
 */
export class PcscCardTransport implements CardTransport, ReaderControl {
  readonly reader: ReaderInfo;
  readonly atr: Uint8Array;
  private readonly raw: PcscReader;
  private readonly protocol: number;
  private readonly onClose: (() => void) | undefined;
  private readonly onError: ((error: TransportError) => void) | undefined;
  private readonly cardGone: (() => Promise<boolean>) | undefined;
  private readonly handOver: (() => boolean) | undefined;
  private failed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Calls (transmit, control, close) started or queued and not settled yet. */
  private pending = 0;
  /** Set when close() is called, before its step runs (closing is assigned after). */
  private shut = false;
  private closing: Promise<void> | undefined;

  constructor(init: PcscCardTransportInit) {
    this.raw = init.raw;
    this.reader = init.reader;
    this.atr = init.atr;
    this.protocol = init.protocol;
    this.onClose = init.onClose;
    this.onError = init.onError;
    this.cardGone = init.cardGone;
    this.handOver = init.handOver;
  }

  get closed(): boolean {
    return this.shut;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.shut) {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `transmit on "${this.reader.name}" after close()`));
    }
    if (command.length < 4) {
      return Promise.reject(new TransportError('PROTOCOL_ERROR', `command APDU of ${command.length} bytes (at least 4: CLA INS P1 P2)`));
    }
    return this.serial(() => this.transmitNow(command));
  }

  /**
   * SCardControl on this connection (PC/SC part 10 features, docs/readers.md "PIN pads"),
   * serialized with the transmits. Input and output may carry card data: never logged here.
   */
  control(code: number, input: Uint8Array, responseMax = 512): Promise<Uint8Array> {
    if (this.shut) {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `control on "${this.reader.name}" after close()`));
    }
    return this.serial(
      () =>
        new Promise<Uint8Array>((resolve, reject) =>
          this.raw.control(Buffer.from(input), code, responseMax, (err, output) => {
            if (err) {
              this.failed = true;
              const error = toTransportError(err, `control on "${this.reader.name}"`);
              this.onError?.(error);
              reject(error);
            } else resolve(Uint8Array.from(output ?? Buffer.alloc(0)));
          }),
        ),
    );
  }

  /**
   * Idempotent; never rejects: after a card removal or pcscd death there is nothing to undo.
   * With `nextQueued` (the caller's next operation on this reader waits), a healthy connection is
   * handed over instead of disconnected (docs/pcsc.md, "Connection handover"); otherwise the
   * promise resolves after the disconnect, so a caller answered after close() leaves the card free
   * for other processes.
   */
  close(options: { nextQueued?: boolean } = {}): Promise<void> {
    if (this.closing) return this.closing;
    this.shut = true;
    this.closing = this.serial(async () => {
      if (options.nextQueued && !this.failed && this.raw.connected && this.handOver?.()) return;
      try {
        await this.disconnect();
      } finally {
        this.onClose?.();
      }
    });
    return this.closing;
  }

  /**
   * Runs `step` after every call made before it. When none is pending it runs now, not a
   * microtask later: the binding call (a libuv thread-pool request) is made before transmit() or
   * close() returns, so a caller can decode the previous answer while this one is in flight
   * (docs/performance.md "Where the time of one sequential read goes"). Still one call at a time.
   */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    if (this.pending > 0) result = this.queue.then(step);
    else {
      try {
        result = step();
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    this.pending++;
    const settled = (): void => {
      this.pending--;
    };
    this.queue = result.then(settled, settled);
    return result;
  }

  private transmitNow(command: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) =>
      this.raw.transmit(Buffer.from(command.buffer, command.byteOffset, command.byteLength), PCSC_MAX_RESPONSE, this.protocol, (err, response) => {
        // Every step between the binding's callback and the caller is on the read's critical path:
        // a response with SW1 SW2 is copied out and passed on, nothing else.
        if (!err && response && response.length >= 2) resolve(new Uint8Array(response));
        else this.transmitFailed(err ?? undefined, response).then(resolve, reject);
      }),
    );
  }

  /** A transmit that failed or answered without SW1 SW2: the typed error (CARD_REMOVED when the card is gone). */
  private async transmitFailed(err: Error | undefined, response: Buffer | undefined): Promise<never> {
    this.failed = true;
    const error = err
      ? toTransportError(err, `transmit on "${this.reader.name}"`)
      : new TransportError('PROTOCOL_ERROR', `response of ${response?.length ?? 0} bytes from "${this.reader.name}" (no SW1 SW2)`);
    const ambiguous = !err || error.platformCode === PcscStatus.SCARD_E_NOT_TRANSACTED;
    if (ambiguous && this.cardGone && (await this.cardGone())) {
      throw new TransportError('CARD_REMOVED', `${error.message} (card removed during the command)`, error.platformCode, { cause: error });
    }
    this.onError?.(error);
    throw error;
  }

  private disconnect(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.raw.connected) return resolve();
      // Errors ignored on purpose: CARD_REMOVED / NO_SERVICE leave nothing to disconnect.
      this.raw.disconnect(PCSC.SCARD_LEAVE_CARD, () => resolve());
    });
  }
}
