import { TransportError } from '../transport-error.js';

/**
 * FIFO mutual exclusion per reader name, within this process. Together with SCARD_SHARE_EXCLUSIVE
 * (other processes) it gives "one exclusive operation at a time per reader" (docs/pcsc.md).
 */
export class ReaderLock {
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();

  /** Resolves with the release function; rejects CANCELLED when `signal` aborts first, TIMEOUT after `timeoutMs`. */
  acquire(name: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<() => void> {
    const { signal, timeoutMs = Infinity } = options;
    if (signal?.aborted) return Promise.reject(cancelled(name));
    const now = this.tryAcquire(name);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const queue = this.waiters.get(name) ?? [];
      this.waiters.set(name, queue);
      const giveUp = (error: TransportError): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(error);
      };
      const onAbort = (): void => giveUp(cancelled(name));
      const grant = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser(name));
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => giveUp(new TransportError('TIMEOUT', `reader "${name}" still busy with another operation after ${timeoutMs} ms`)), timeoutMs)
        : undefined;
      queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The release function when `name` is free now (no promise, no wait), else undefined. */
  tryAcquire(name: string): (() => void) | undefined {
    if (this.held.has(name)) return undefined;
    this.held.add(name);
    return this.releaser(name);
  }

  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  private releaser(name: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.get(name)?.shift();
      if (next) next();
      else {
        this.held.delete(name);
        this.waiters.delete(name);
      }
    };
  }
}

function cancelled(name: string): TransportError {
  return new TransportError('CANCELLED', `cancelled while waiting for reader "${name}"`);
}
