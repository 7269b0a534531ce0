import type { Logger } from 'pino';

/**
 * Rate-limited warning for refusals by a limit (connection caps, queue limits, silent sockets):
 * at most one line per reason per `intervalMs`, carrying how many refusals of that reason were
 * not logged since the last line. A flood of refusals cannot flood the log, yet the admin always
 * sees that someone is being refused, and why.
 */
export class RefusalLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `fields` must hold no client free text (reason codes, principals, counts). */
  refused(reason: string, fields: Record<string, unknown> = {}): void {
    const t = this.now();
    const seen = this.last.get(reason);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(reason, { at: t, suppressed: 0 });
    this.log.warn({ reason, ...fields, ...(suppressed ? { suppressedSinceLastLine: suppressed } : {}) }, 'refused by a limit');
  }
}
