import { PCSC, type PcscReader } from '../../../native-shims/pcsclite.js';
import type { CardConnector, CardTransport } from '../card-transport.js';
import { TransportError } from '../transport-error.js';
import { PcscCardTransport } from './pcsc-card-transport.js';
import { PcscContextManager, type PcscContextOptions } from './pcsc-context.js';
import { toTransportError } from './pcsc-error.js';
import type { ReaderInfo } from '../reader-info.js';
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

interface HandedOver {
  raw: PcscReader;
  protocol: number;
  atr: Uint8Array;
}

/**
 * Opens card connections over PC/SC.
 *
 * Exclusivity scheme: the pcsclite binding has no SCardBeginTransaction, so one operation =
 * one SCARD_SHARE_EXCLUSIVE connection, held from connect() until the transport's close()
 * (disconnect with SCARD_LEAVE_CARD). Other processes get SHARING_VIOLATION meanwhile; inside
 * this process a FIFO lock per reader makes a second connect() wait (a binding reader object
 * has a single card handle, so two connections on it would silently share it).
 * A healthy connection's close() hands its handle over instead of disconnecting: a connect() made
 * before the end of that event-loop turn (the next operation queued in the card service) takes it
 * with the lock, so back-to-back operations skip SCardDisconnect + SCardConnect (each a thread-pool
 * hop and a pcscd round trip, docs/pcsc.md "Connection handover"); unclaimed, it is disconnected
 * (SCARD_LEAVE_CARD) at the next setImmediate, so an idle reader is never held.
 */
export class PcscConnector implements CardConnector {
  readonly manager: PcscContextManager;
  private readonly ownsManager: boolean;
  private readonly serviceWaitMs: number;
  private readonly atrWaitMs: number;
  private readonly removalCheckMs: number;
  private readonly busyWaitMs: number;
  private readonly lock = new ReaderLock();
  /** Connected handles handed from a closing operation to the next one queued on the reader. */
  private readonly handedOver = new Map<string, HandedOver>();
  /** ReaderInfo per reader name, made once (a frozen value). */
  private readonly infos = new Map<string, ReaderInfo>();

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
    // Free reader, service up, reader known, no hand-over: nothing is awaited before the binding's
    // connect (every step here is on the critical path of an operation, docs/performance.md).
    const release = (signal?.aborted ? undefined : this.lock.tryAcquire(name)) ?? (await this.lock.acquire(name, { signal, timeoutMs: this.busyWaitMs }));
    // A handle the previous operation handed over with the lock (docs/pcsc.md, "Connection handover").
    const warm = this.handedOver.get(name);
    this.handedOver.delete(name);
    try {
      if (warm?.raw.connected) {
        if (signal?.aborted) {
          await disconnect(warm.raw);
          throw new TransportError('CANCELLED', `connect to "${name}" cancelled`);
        }
        return this.transport(warm.raw, name, warm.atr, warm.protocol, release);
      }
      if (this.manager.state !== 'up') await this.manager.whenUp(this.serviceWaitMs, signal);
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
      const atr = this.atrNow(name) ?? (await this.atrOf(name));
      return this.transport(raw, name, atr, protocol, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  private transport(raw: PcscReader, name: string, atr: Uint8Array, protocol: number, release: () => void): PcscCardTransport {
    let info = this.infos.get(name);
    if (!info) {
      info = pcscReaderInfo(name);
      this.infos.set(name, info); // names of readers that exist (checked above): a handful
    }
    return new PcscCardTransport({
      raw,
      reader: info,
      atr,
      protocol,
      onClose: release,
      // Synchronous with release(): the waiter checked here is the one the release grants.
      handOver: () => {
        const entry = { raw, protocol, atr };
        this.handedOver.set(name, entry);
        release();
        // Unclaimed by the end of this event-loop turn: disconnected, so an idle reader is never held.
        setImmediate(() => void this.dropHandedOver(name, entry));
        return true;
      },
      onError: (error) => this.manager.reportServiceLoss(error),
      cardGone: () => this.manager.waitForStatus(name, (state) => (state & PCSC.SCARD_STATE_PRESENT) === 0, this.removalCheckMs),
    });
  }

  /** Closes the context when this connector owns it. Open transports must be closed first. */
  async close(): Promise<void> {
    await Promise.all([...this.handedOver].map(([name, entry]) => this.dropHandedOver(name, entry)));
    if (this.ownsManager) await this.manager.stop();
  }

  /** Disconnects a handed-over handle nobody took, under the reader's lock. */
  private async dropHandedOver(name: string, entry: HandedOver): Promise<void> {
    if (this.handedOver.get(name) !== entry) return;
    const release = await this.lock.acquire(name);
    try {
      if (this.handedOver.get(name) !== entry) return;
      this.handedOver.delete(name);
      await disconnect(entry.raw);
    } finally {
      release();
    }
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
      const atr = this.atrNow(name);
      if (atr) return atr;
      if (Date.now() >= deadline) return new Uint8Array(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The ATR of the card the reader's last status shows present, if any. */
  private atrNow(name: string): Uint8Array | undefined {
    const status = this.manager.status(name);
    return status?.atr && status.atr.length > 0 && status.state & PCSC.SCARD_STATE_PRESENT ? new Uint8Array(status.atr) : undefined;
  }
}

function disconnect(raw: PcscReader): Promise<void> {
  return new Promise((resolve) => raw.disconnect(PCSC.SCARD_LEAVE_CARD, () => resolve()));
}
