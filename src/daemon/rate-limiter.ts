/** Token bucket: `burst` requests at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when empty. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  retryAfterMs(): number {
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/**
 * At most `limit` events per key in any `windowMs` (sliding log). Used for pin.verify per origin:
 * a page that guesses PINs is slowed down even when it opens many connections, on top of the
 * card's own try counter and the last-try guard.
 */
export class WindowLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records one event for `key`; returns 0 when allowed, else the ms until one is allowed. */
  hit(key: string): number {
    const t = this.now();
    const kept = (this.log.get(key) ?? []).filter((x) => t - x < this.windowMs);
    if (kept.length >= this.limit) {
      this.log.set(key, kept);
      return this.windowMs - (t - kept[0]!);
    }
    kept.push(t);
    this.log.set(key, kept);
    return 0;
  }
}
