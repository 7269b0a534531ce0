import { ServiceError } from './service-error.js';

/** One waiting operation of a ReaderQueue. */
interface Waiter {
  grant(): void;
  fail(error: ServiceError): void;
}

/**
 * FIFO of operations on one reader: at most one holds the reader at a time, the others wait in
 * arrival order (several clients and tabs queue; they are not refused "busy"). A waiter leaves
 * the queue when its signal aborts (CANCELLED) or its wait exceeds `timeoutMs` (BUSY_TIMEOUT).
 */
export class ReaderQueue {
  private held = false;
  private readonly waiting: Waiter[] = [];

  constructor(readonly readerId: string) {}

  /** Operations waiting (not counting the one running). */
  get length(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.held;
  }

  /** Resolves with the release function once it is this caller's turn. */
  acquire(options: { signal?: AbortSignal | undefined; timeoutMs: number }): Promise<() => void> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(cancelled(this.readerId));
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve(this.releaser());
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.fail(cancelled(this.readerId));
      const timer = setTimeout(
        () => waiter.fail(new ServiceError('BUSY_TIMEOUT', `reader ${this.readerId} still busy with other operations after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Fails every waiting operation (shutdown); the running one is not touched. */
  failAll(error: ServiceError): void {
    for (const w of [...this.waiting]) w.fail(error);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting[0];
      if (next) next.grant();
      else this.held = false;
    };
  }
}

function cancelled(readerId: string): ServiceError {
  return new ServiceError('CANCELLED', `cancelled while waiting for reader ${readerId}`);
}
