import type { InterfaceRequest } from '../transport/card-interface.js';
import { apduStack } from '../apdu/apdu-stack.js';
import type { TranscriptRecorder } from '../apdu/transcript-recorder.js';
import type { Transmitter } from '../apdu/transmitter.js';
import type { CardTransport } from '../transport/card-transport.js';
import type { ReaderInfo } from '../transport/reader-info.js';
import type { ReaderState } from '../transport/reader-monitor.js';
import { abortableTransmitter, abortError } from './abortable-transmitter.js';
import type { ReaderRegistry } from './reader-registry.js';
import { ReaderQueue } from './reader-queue.js';
import { ServiceError } from './service-error.js';
import { SharedRun, type SharedRunMember } from './shared-run.js';

/** What one queued operation is (for logs and the transcript hook): never personal data. */
export interface OperationInfo {
  /** Increasing per service. */
  readonly id: number;
  /** What the operation is, e.g. `card.read`. */
  readonly label: string;
  readonly reader: ReaderInfo;
}

/** Handed to the operation body while it holds the reader exclusively. */
export interface OperationContext {
  readonly info: OperationInfo;
  readonly transport: CardTransport;
  /** The transport in the standard processor stack, stopped at the next APDU once `signal` aborts. */
  readonly stack: Transmitter;
  readonly signal: AbortSignal;
  /**
   * Ends the hold on the card now, when the body has sent its last APDU and still has work to do
   * without the card (decoding: docs/performance.md "Where the time of one sequential read
   * goes"): starts the close the operation does after the body (hand-over included), which the
   * operation then waits for. Idempotent; never rejects. The reader stays this operation's until
   * the body returns.
   */
  readonly release: () => Promise<void>;
}

export interface OperationRequest {
  /** What the operation is (logs, transcripts), e.g. `card.read`. */
  label: string;
  /** Reader id or exact name; without it, the one reader holding a card. */
  reader?: string | undefined;
  /** The requester's lifetime: abort drops the queued operation, or stops the running one at the next APDU. */
  signal?: AbortSignal | undefined;
  /** Overrides the service's queue wait limit (BUSY_TIMEOUT). */
  queueTimeoutMs?: number | undefined;
  /**
   * Who queues (fair service between requesters, reader-queue.ts); default: the `signal`, which a
   * daemon connection shares between all its requests.
   */
  owner?: unknown;
  /** Overrides the service's operation time limit (TIMEOUT). */
  timeoutMs?: number | undefined;
  /** Wait this long for a card when none is present (CLI `--wait`); default: answer NO_CARD at once. */
  waitForCardMs?: number | undefined;
  /** Called once when the operation starts waiting for a card ("insert a card…"). */
  onWaiting?: ((what: string) => void) | undefined;
  /** `iType`-style interface request (docs/readers.md "Interface choice"). */
  cardInterface?: InterfaceRequest | undefined;
  /**
   * Read-only operations only: requests with the same key on the same reader that are still
   * queued share one run of the first one's body and its result (shared-run.ts,
   * docs/performance.md "Coalescing"). Keys name the operation and everything its body depends on.
   */
  coalesce?: string | undefined;
}

export interface CardServiceOptions {
  /** Longest wait in a reader's queue before BUSY_TIMEOUT. Default 30 s. */
  queueTimeoutMs?: number;
  /** Longest operation (connect + APDUs + close) before TIMEOUT. Default 20 s. */
  operationTimeoutMs?: number;
  /**
   * Transcript hook (tests, diagnostics): a recorder for this operation, placed at the bottom of
   * the stack so it sees the wire (PIN data masked by the recorder).
   */
  transcript?: ((op: OperationInfo) => TranscriptRecorder | undefined) | undefined;
  /** APDU traffic log (PIN data masked), e.g. the CLI's `--traffic` on stderr. */
  traffic?: ((line: string) => void) | undefined;
}

/**
 * The card service: one exclusive card operation at a time per reader (connect -> body -> close),
 * round-robin between requesters and FIFO within one, a time limit per operation, cancellation through AbortSignal, typed results.
 * Several callers (daemon connections, browser tabs, the CLI) queue instead of failing "busy".
 */
export class CardService {
  private readonly queues = new Map<string, ReaderQueue>();
  /** Shared runs not started yet, by reader, time limit and coalescing key (open to joiners). */
  private readonly offered = new Map<string, SharedRun<unknown>>();
  private readonly running = new Set<{ controller: AbortController; settled: Promise<unknown> }>();
  private readonly queueTimeoutMs: number;
  private readonly operationTimeoutMs: number;
  private nextId = 1;
  private stopping = false;

  constructor(
    readonly registry: ReaderRegistry,
    private readonly options: CardServiceOptions = {},
  ) {
    this.queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 20_000;
  }

  /** Operations waiting or running on `readerId`. */
  pending(readerId: string): number {
    const q = this.queues.get(readerId);
    return q ? q.length + (q.busy ? 1 : 0) : 0;
  }

  /** The reader an operation would use now (ReaderRegistry.pick: one rule for every face). */
  pick(reader?: string, cardInterface?: InterfaceRequest): ReaderState {
    return this.registry.pick(reader, cardInterface);
  }

  /**
   * Runs `body` with an exclusive connection to the card, after the operations queued before it
   * on the same reader. Rejects with the body's error, or a ServiceError: CANCELLED (requester
   * aborted), BUSY_TIMEOUT (queue wait), TIMEOUT (operation), SHUTTING_DOWN. On abort the caller
   * is answered at once; the reader stays held until the body reaches its next APDU and stops.
   */
  async run<T>(request: OperationRequest, body: (ctx: OperationContext) => Promise<T>): Promise<T> {
    if (this.stopping) throw new ServiceError('SHUTTING_DOWN', 'the card service is stopping');
    const state =
      request.waitForCardMs !== undefined && request.waitForCardMs > 0
        ? await this.registry.choose({ reader: request.reader, timeoutMs: request.waitForCardMs, signal: request.signal, onWaiting: request.onWaiting, cardInterface: request.cardInterface })
        : this.pick(request.reader, request.cardInterface);
    const readerId = state.reader.id;
    const queue = this.queueOf(readerId);
    const queueTimeoutMs = request.queueTimeoutMs ?? this.queueTimeoutMs;
    if (request.coalesce !== undefined) {
      // The owner a lone request has in the queue (reader-queue.ts): its signal stands for its connection.
      const member = { signal: request.signal, owner: request.owner ?? request.signal ?? {}, queueTimeoutMs };
      return this.runShared(`${readerId}\u0000${request.timeoutMs ?? ''}\u0000${request.coalesce}`, queue, member, request, state.reader, body);
    }
    // An idle reader is taken in this turn (ReaderQueue.tryAcquire); an aborted requester is refused by acquire.
    const release = (request.signal?.aborted ? undefined : queue.tryAcquire()) ?? (await queue.acquire({ signal: request.signal, owner: request.owner, timeoutMs: queueTimeoutMs }));
    return this.execute(queue, release, request.signal, request, state.reader, body);
  }

  /** Joins the shared run of `key` not started yet, or offers a new one (shared-run.ts). */
  private runShared<T>(
    key: string,
    queue: ReaderQueue,
    member: SharedRunMember,
    request: OperationRequest,
    reader: ReaderInfo,
    body: (ctx: OperationContext) => Promise<T>,
  ): Promise<T> {
    let shared = this.offered.get(key) as SharedRun<T> | undefined;
    if (!shared) {
      const created: SharedRun<T> = new SharedRun<T>(
        queue,
        (release, members) => this.execute(queue, release, members, request, reader, body),
        () => {
          if (this.offered.get(key) === created) this.offered.delete(key);
        },
      );
      this.offered.set(key, created);
      shared = created;
    }
    return shared.join(member);
  }

  /**
   * The operation itself, once `release` holds the reader: connect, body, close, within the time
   * limit; `requester` aborting cancels it (for a shared run: every member left).
   */
  private async execute<T>(
    queue: ReaderQueue,
    release: () => void,
    requester: AbortSignal | undefined,
    request: OperationRequest,
    reader: ReaderInfo,
    body: (ctx: OperationContext) => Promise<T>,
  ): Promise<T> {
    const readerId = reader.id;
    const controller = new AbortController();
    const abort = (reason: ServiceError): void => {
      if (!controller.signal.aborted) controller.abort(reason);
    };
    const onRequesterAbort = (): void => abort(new ServiceError('CANCELLED', `${request.label} cancelled by the requester`));
    if (requester?.aborted) onRequesterAbort();
    requester?.addEventListener('abort', onRequesterAbort, { once: true });
    const timeoutMs = request.timeoutMs ?? this.operationTimeoutMs;
    const timer = setTimeout(() => abort(new ServiceError('TIMEOUT', `${request.label} took longer than ${timeoutMs} ms`)), timeoutMs);

    const info: OperationInfo = { id: this.nextId++, label: request.label, reader };
    const work = (async (): Promise<T> => {
      if (controller.signal.aborted) throw abortError(controller.signal);
      const transport = await this.registry.connect(readerId, controller.signal);
      let closing: Promise<void> | undefined;
      // Early release (OperationContext.release): disconnect now when no operation waits for this
      // reader; with one queued, the connection is handed over after the body as usual (the
      // hand-over makes no PC/SC call, there is nothing to overlap).
      const release = (): Promise<void> => (queue.length > 0 ? Promise.resolve() : (closing ??= transport.close().catch(() => undefined)));
      try {
        const recorder = this.options.transcript?.(info);
        const stack = apduStack(abortableTransmitter(transport, controller.signal), { recorder, traffic: this.options.traffic });
        return await body({ info, transport, stack, signal: controller.signal, release });
      } finally {
        // The next operation already queued on this reader may take the connection over (PC/SC
        // skips SCardDisconnect + SCardConnect, docs/pcsc.md "Connection handover").
        await (closing ?? transport.close({ nextQueued: queue.length > 0 }).catch(() => undefined));
      }
    })();
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    const entry = { controller, settled };
    this.running.add(entry);
    void settled.then(() => {
      clearTimeout(timer);
      requester?.removeEventListener('abort', onRequesterAbort);
      this.running.delete(entry);
      release();
      if (!queue.busy && queue.length === 0) this.queues.delete(readerId);
    });

    // Answer the caller as soon as the operation is aborted, without waiting for the APDU boundary.
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = (): void => reject(abortError(controller.signal));
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
      void settled.then(() => controller.signal.removeEventListener('abort', onAbort));
    });
    aborted.catch(() => undefined);
    return Promise.race([work, aborted]);
  }

  /**
   * Stops accepting operations, fails the queued ones (SHUTTING_DOWN), lets running ones finish
   * for up to `graceMs`, then aborts them at their next APDU and waits for them to close.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const shutting = new ServiceError('SHUTTING_DOWN', 'the card service is stopping');
    for (const q of this.queues.values()) q.failAll(shutting);
    const all = Promise.all([...this.running].map((r) => r.settled));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
    });
    if ((await Promise.race([all, graceOver])) === 'grace') {
      for (const r of this.running) r.controller.abort(shutting);
      await all;
    }
    clearTimeout(timer);
  }

  private queueOf(readerId: string): ReaderQueue {
    let q = this.queues.get(readerId);
    if (!q) {
      q = new ReaderQueue(readerId);
      this.queues.set(readerId, q);
    }
    return q;
  }
}
