/**
 * Counters keyed by principal (origin or token role) and by peer address, with caps, so that one
 * admitted client cannot take every connection slot or fill a reader's queue
 * (docs/daemon.md, "Limits"). Pure bookkeeping: the caller refuses and logs.
 */
export class KeyedCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one for `key` unless it is at the cap; false when refused. */
  take(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  give(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n <= 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
