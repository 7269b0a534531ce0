import { ServiceError } from './service-error.js';

/** One waiting operation of a ReaderQueue. */
interface Waiter {
  grant(): void;
  fail(error: ServiceError): void;
}

/**
 * The queue of operations on one reader: at most one holds the reader at a time, the others wait
 * (several clients and tabs queue; they are not refused "busy"). Waiters are grouped by `owner`
 * (a daemon connection, a CLI run) and served round-robin between owners, FIFO within one: a
 * client that queues 32 operations delays another client's single operation by at most one of
 * its own, not by all 32. A waiter leaves the queue when its signal aborts (CANCELLED) or its
 * wait exceeds `timeoutMs` (BUSY_TIMEOUT).
 */
export class ReaderQueue {
  private held = false;
  /** Owners in service order (Map insertion order); each with its FIFO of waiters. */
  private readonly owners = new Map<unknown, Waiter[]>();
  private count = 0;

  constructor(readonly readerId: string) {}

  /** Operations waiting (not counting the one running). */
  get length(): number {
    return this.count;
  }

  get busy(): boolean {
    return this.held;
  }

  /** Resolves with the release function once it is this caller's turn. */
  acquire(options: { signal?: AbortSignal | undefined; timeoutMs: number; owner?: unknown }): Promise<() => void> {
    const { signal, timeoutMs } = options;
    // Without an owner the signal stands for the requester (one per daemon connection); without
    // either, each operation is its own owner.
    const owner = options.owner ?? signal ?? {};
    if (signal?.aborted) return Promise.reject(cancelled(this.readerId));
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const list = this.owners.get(owner);
        const i = list ? list.indexOf(waiter) : -1;
        if (i >= 0) {
          list!.splice(i, 1);
          this.count--;
          if (list!.length === 0) this.owners.delete(owner);
        }
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
      const list = this.owners.get(owner);
      if (list) list.push(waiter);
      else this.owners.set(owner, [waiter]);
      this.count++;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * The release function at once when nobody holds the reader (then nobody waits either), else
   * undefined: lets an operation on an idle reader start in its caller's turn, without a promise
   * turn first (docs/performance.md, "Where the time of `card.read` over the WebSocket goes").
   */
  tryAcquire(): (() => void) | undefined {
    if (this.held) return undefined;
    this.held = true;
    return this.releaser();
  }

  /** Fails every waiting operation (shutdown); the running one is not touched. */
  failAll(error: ServiceError): void {
    for (const list of [...this.owners.values()]) for (const w of [...list]) w.fail(error);
  }

  /** The first waiter of the owner whose turn it is; that owner then goes to the back. */
  private nextWaiter(): Waiter | undefined {
    const first = this.owners.entries().next();
    if (first.done) return undefined;
    const [owner, list] = first.value;
    const w = list[0];
    if (list.length > 1) {
      // Rotate: the owner moves behind the others (its waiter leaves the list when granted).
      this.owners.delete(owner);
      this.owners.set(owner, list);
    }
    return w;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.nextWaiter();
      if (next) next.grant();
      else this.held = false;
    };
  }
}

function cancelled(readerId: string): ServiceError {
  return new ServiceError('CANCELLED', `cancelled while waiting for reader ${readerId}`);
}
