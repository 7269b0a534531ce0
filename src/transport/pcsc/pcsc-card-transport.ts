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
 * powered for the next operation: no power-down and re-power between operations).
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
    return this.closing !== undefined;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.closing) {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `transmit on "${this.reader.name}" after close()`));
    }
    if (command.length < 4) {
      return Promise.reject(new TransportError('PROTOCOL_ERROR', `command APDU of ${command.length} bytes (at least 4: CLA INS P1 P2)`));
    }
    const result = this.queue.then(() => this.transmitNow(command));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * SCardControl on this connection (PC/SC part 10 features, docs/readers.md "PIN pads"),
   * serialized with the transmits. Input and output may carry card data: never logged here.
   */
  control(code: number, input: Uint8Array, responseMax = 512): Promise<Uint8Array> {
    if (this.closing) {
      return Promise.reject(new TransportError('TRANSPORT_CLOSED', `control on "${this.reader.name}" after close()`));
    }
    const result = this.queue.then(
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
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Idempotent; never rejects: after a card removal or pcscd death there is nothing to undo.
   * With `nextQueued` (the caller's next operation on this reader waits), a healthy connection is
   * handed over instead of disconnected (docs/pcsc.md, "Connection handover"); otherwise the
   * promise resolves after the disconnect, so a caller answered after close() leaves the card free
   * for other processes.
   */
  close(options: { nextQueued?: boolean } = {}): Promise<void> {
    this.closing ??= this.queue.then(async () => {
      if (options.nextQueued && !this.failed && this.raw.connected && this.handOver?.()) return;
      try {
        await this.disconnect();
      } finally {
        this.onClose?.();
      }
    });
    return this.closing;
  }

  private async transmitNow(command: Uint8Array): Promise<Uint8Array> {
    const data = Buffer.from(command.buffer, command.byteOffset, command.byteLength);
    const outcome = await new Promise<{ error?: TransportError; response?: Buffer }>((resolve) =>
      this.raw.transmit(data, PCSC_MAX_RESPONSE, this.protocol, (err, response) =>
        resolve(err ? { error: toTransportError(err, `transmit on "${this.reader.name}"`) } : { response: response ?? Buffer.alloc(0) }),
      ),
    );
    if (outcome.response && outcome.response.length >= 2) return Uint8Array.from(outcome.response);
    this.failed = true;
    const error =
      outcome.error ??
      new TransportError('PROTOCOL_ERROR', `response of ${outcome.response?.length ?? 0} bytes from "${this.reader.name}" (no SW1 SW2)`);
    const ambiguous = !outcome.error || error.platformCode === PcscStatus.SCARD_E_NOT_TRANSACTED;
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
