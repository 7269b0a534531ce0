import type { ReaderQueue } from './reader-queue.js';
import { ServiceError } from './service-error.js';

/** The reason waiting places are withdrawn with (a reason given: no DOMException built per run). */
const STARTED = new ServiceError('CANCELLED', 'the shared operation started');

/** What a member of a shared run brings: its place in the reader's queue and its lifetime. */
export interface SharedRunMember {
  /** Aborts this member only: it is answered CANCELLED, the others keep the run. */
  readonly signal?: AbortSignal | undefined;
  /** Its requester in the round-robin of the reader's queue (ReaderQueue `owner`). */
  readonly owner: unknown;
  readonly queueTimeoutMs: number;
}

/**
 * One read-only card operation shared by every identical request that queued for it on one reader
 * before it started (request coalescing, docs/performance.md "Coalescing"). Each member waits in the
 * reader's queue in its own place (round-robin between requesters is unchanged); the first member
 * granted the reader starts the operation for all and the other members' places are given up, so
 * no member is served later than it would have been alone. Nobody joins once it started: every
 * member's result was read from the card at or after its arrival. The body runs once; members get
 * the same result object (treated as immutable by the callers, which map it per requester).
 */
export class SharedRun<T> {
  private readonly members = new Set<object>();
  /** Withdraws the queue places of waiting members once the run started (made when one waits). */
  private started: AbortController | undefined;
  /** Aborted when every member has left: the running operation stops at its next APDU. */
  private readonly deserted = new AbortController();
  private outcome: Promise<T> | undefined;

  /**
   * `start`: runs the operation with the reader's queue turn (`release`) and the signal that
   * stands for all members; `stopOffering`: called when it starts or every member left before (no one may join any more).
   */
  constructor(
    private readonly queue: ReaderQueue,
    private readonly start: (release: () => void, members: AbortSignal) => Promise<T>,
    private readonly stopOffering: () => void,
  ) {}

  /** Resolves with the shared result; rejects with this member's own CANCELLED / BUSY_TIMEOUT or the operation's error. */
  join(member: SharedRunMember): Promise<T> {
    const me = {};
    this.members.add(me);
    const leave = (): void => {
      this.members.delete(me);
      if (this.members.size > 0) return;
      if (this.outcome) this.deserted.abort(new ServiceError('CANCELLED', 'every requester of the shared operation cancelled'));
      else this.stopOffering(); // nobody left to start it: no longer offered
    };
    // Only a member that has to wait needs its place withdrawn: its place listens on a signal
    // that stands for "this member cancelled, or the run started". Not AbortSignal.any: Node 20
    // keeps a WeakRef per call in each source signal's dependants (a daemon connection's signal,
    // which lives as long as the page) -- measured: ~140 per connection after 400 contended
    // requests, the connection's heap growing with its requests (docs/performance.md "Memory").
    let signal = member.signal;
    let stopFollowing = (): void => undefined;
    if (this.queue.busy) {
      this.started ??= new AbortController();
      if (member.signal) {
        const place = new AbortController();
        const withdraw = (): void => place.abort();
        if (member.signal.aborted) withdraw(); // an aborted signal fires no more 'abort'
        member.signal.addEventListener('abort', withdraw, { once: true });
        // A listener on the run's own signal goes with the run.
        this.started.signal.addEventListener('abort', withdraw, { once: true });
        stopFollowing = () => member.signal?.removeEventListener('abort', withdraw);
        signal = place.signal;
      } else signal = this.started.signal;
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        leave();
        reject(new ServiceError('CANCELLED', 'cancelled by the requester'));
      };
      const follow = (outcome: Promise<T>): void => {
        if (member.signal?.aborted) return onAbort();
        member.signal?.addEventListener('abort', onAbort, { once: true });
        outcome.then(
          (value) => {
            member.signal?.removeEventListener('abort', onAbort);
            this.members.delete(me);
            resolve(value);
          },
          (error: unknown) => {
            member.signal?.removeEventListener('abort', onAbort);
            this.members.delete(me);
            reject(error);
          },
        );
      };
      const granted = (release: () => void): void => {
        if (this.outcome) {
          release(); // not reached: places are withdrawn synchronously at the start
          return;
        }
        this.stopOffering();
        this.outcome = this.start(release, this.deserted.signal);
        this.outcome.catch(() => undefined); // each member handles it; none may be left
        this.started?.abort(STARTED);
        follow(this.outcome);
      };
      // An idle reader starts the run in this turn: its first card I/O is issued before the
      // caller's stack unwinds (a daemon: the WebSocket frame's), not after (docs/performance.md).
      const now = member.signal?.aborted ? undefined : this.queue.tryAcquire();
      if (now) return granted(now);
      this.queue.acquire({ signal, owner: member.owner, timeoutMs: member.queueTimeoutMs }).then(
        (release) => {
          stopFollowing();
          granted(release);
        },
        (error: unknown) => {
          stopFollowing();
          // Withdrawn because another member's place came first: follow the run.
          if (this.outcome && !member.signal?.aborted) return follow(this.outcome);
          leave();
          reject(error);
        },
      );
    });
  }
}
