import { PCSC, type PcscReader } from '../../../native-shims/pcsclite.js';
import type { CardConnector, CardTransport } from '../card-transport.js';
import { TransportError } from '../transport-error.js';
import { PcscCardTransport } from './pcsc-card-transport.js';
import { PcscContextManager, type PcscContextOptions } from './pcsc-context.js';
import { toTransportError } from './pcsc-error.js';
import { pcscReaderInfo, pcscReaderName } from './pcsc-reader-info.js';
import { ReaderLock } from './reader-lock.js';

export interface PcscConnectorOptions extends PcscContextOptions {
  /** Shared context (e.g. the monitor's); when absent the connector owns one, closed by close(). */
  manager?: PcscContextManager;
  /** How long connect() waits for pcscd to be (back) up before NO_SERVICE. Default 3000 ms. */
  serviceWaitMs?: number;
  /** How long to wait for the ATR of a card that was just inserted. Default 500 ms. */
  atrWaitMs?: number;
  /** After an ambiguous transmit failure, how long to wait for pcscd to report a removal (its poll is ~400 ms). Default 800 ms. */
  removalCheckMs?: number;
  /** How long connect() waits for another operation on the same reader to finish. Default 30 s, then TIMEOUT. */
  busyWaitMs?: number;
}

/**
 * Opens card connections over PC/SC.
 *
 * Exclusivity scheme: the pcsclite binding has no SCardBeginTransaction, so one operation =
 * one SCARD_SHARE_EXCLUSIVE connection, held from connect() until the transport's close()
 * (disconnect with SCARD_LEAVE_CARD). Other processes get SHARING_VIOLATION meanwhile; inside
 * this process a FIFO lock per reader makes a second connect() wait (a binding reader object
 * has a single card handle, so two connections on it would silently share it).
 */
export class PcscConnector implements CardConnector {
  readonly manager: PcscContextManager;
  private readonly ownsManager: boolean;
  private readonly serviceWaitMs: number;
  private readonly atrWaitMs: number;
  private readonly removalCheckMs: number;
  private readonly busyWaitMs: number;
  private readonly lock = new ReaderLock();

  constructor(options: PcscConnectorOptions = {}) {
    this.ownsManager = !options.manager;
    this.manager = options.manager ?? new PcscContextManager(options);
    this.serviceWaitMs = options.serviceWaitMs ?? 3000;
    this.atrWaitMs = options.atrWaitMs ?? 500;
    this.removalCheckMs = options.removalCheckMs ?? 800;
    this.busyWaitMs = options.busyWaitMs ?? 30_000;
  }

  async connect(readerName: string, options: { signal?: AbortSignal } = {}): Promise<CardTransport> {
    const name = pcscReaderName(readerName);
    const { signal } = options;
    const release = await this.lock.acquire(name, { signal, timeoutMs: this.busyWaitMs });
    try {
      await this.manager.whenUp(this.serviceWaitMs, signal);
      const raw = this.manager.reader(name);
      if (!raw) {
        const known = this.manager.readerNames();
        throw known.length === 0
          ? new TransportError('NO_READERS', `no PC/SC reader attached (looking for "${name}")`)
          : new TransportError('READER_NOT_FOUND', `no PC/SC reader "${name}" (readers: ${known.join(', ')})`);
      }
      if (raw.connected) await disconnect(raw); // a handle left by a failed operation
      const protocol = await this.connectRaw(raw, name);
      if (signal?.aborted) {
        await disconnect(raw);
        throw new TransportError('CANCELLED', `connect to "${name}" cancelled`);
      }
      const atr = await this.atrOf(name);
      return new PcscCardTransport({
        raw,
        reader: pcscReaderInfo(name),
        atr,
        protocol,
        onClose: release,
        onError: (error) => this.manager.reportServiceLoss(error),
        cardGone: () => this.manager.waitForStatus(name, (state) => (state & PCSC.SCARD_STATE_PRESENT) === 0, this.removalCheckMs),
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Closes the context when this connector owns it. Open transports must be closed first. */
  async close(): Promise<void> {
    if (this.ownsManager) await this.manager.stop();
  }

  private connectRaw(raw: PcscReader, name: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // Share mode always explicit: the binding's default is EXCLUSIVE (docs/pcsc.md).
      const options = { share_mode: PCSC.SCARD_SHARE_EXCLUSIVE, protocol: PCSC.SCARD_PROTOCOL_T0 | PCSC.SCARD_PROTOCOL_T1 } as const;
      raw.connect(options, (err, protocol) => {
        if (err) {
          const error = toTransportError(err, `connect to "${name}"`);
          this.manager.reportServiceLoss(error);
          reject(error);
        } else if (protocol === undefined) {
          // The binding calls back without a protocol when it believes it is already connected.
          reject(new TransportError('IO_ERROR', `connect to "${name}": reader handle already in use`));
        } else {
          resolve(protocol);
        }
      });
    });
  }

  /** ATR from the reader's status thread; just after insertion it may lag the connect a little. */
  private async atrOf(name: string): Promise<Uint8Array> {
    const deadline = Date.now() + this.atrWaitMs;
    for (;;) {
      const status = this.manager.status(name);
      if (status?.atr && status.atr.length > 0 && status.state & PCSC.SCARD_STATE_PRESENT) return Uint8Array.from(status.atr);
      if (Date.now() >= deadline) return new Uint8Array(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function disconnect(raw: PcscReader): Promise<void> {
  return new Promise((resolve) => raw.disconnect(PCSC.SCARD_LEAVE_CARD, () => resolve()));
}
