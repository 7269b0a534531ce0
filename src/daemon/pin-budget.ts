/**
 * The PIN budget of the daemon (docs/daemon.md "Limits"): PIN presentations per origin (or token
 * role) in any sliding window, and a smaller share per connection, so one connection cannot spend
 * what the other connections of its origin need. It is charged only when a PIN is about to be
 * presented to a card (after the params, the reader, the registry rule and the try status passed):
 * requests that never reach a card cost nothing.
 */
export class PinBudget {
  private readonly byPrincipal = new Map<string, number[]>();
  private readonly byConnection = new Map<number, number[]>();

  constructor(
    private readonly perPrincipal: number,
    private readonly perConnection: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Charges one presentation; 0 when allowed, else the ms until one would be (nothing charged then). */
  charge(principal: string, connectionId: number): number {
    const t = this.now();
    const p = this.recent(this.byPrincipal, principal, t);
    const c = this.recent(this.byConnection, connectionId, t);
    const waits = [p.length >= this.perPrincipal ? this.windowMs - (t - p[0]!) : 0, c.length >= this.perConnection ? this.windowMs - (t - c[0]!) : 0];
    const wait = Math.max(...waits);
    if (wait > 0) return wait;
    p.push(t);
    c.push(t);
    return 0;
  }

  /** A closed connection's share is forgotten (its origin's charges stay). */
  forget(connectionId: number): void {
    this.byConnection.delete(connectionId);
  }

  private recent<K>(map: Map<K, number[]>, key: K, t: number): number[] {
    const kept = (map.get(key) ?? []).filter((x) => t - x < this.windowMs);
    map.set(key, kept);
    return kept;
  }
}
