import type { AccessCondition } from './file-system.js';

/**
 * The card's security status (ISO/IEC 7816-4 §5.4): the set of rights granted so far in this
 * session, e.g. `RKSSSE` after EXTERNAL AUTHENTICATE with the read key (docs/reference/card-spec.md §3), `PIN`
 * after VERIFY. Volatile: the card OS clears it on power-on, reset and SELECT of a DF (a new
 * SELECT of SSSE starts again without rights). Handlers added later (PIN, authentication) grant
 * rights through `grant`.
 */
export class SecurityState {
  private readonly rights = new Set<string>();

  grant(right: string): void {
    this.rights.add(right);
  }

  revoke(right: string): void {
    this.rights.delete(right);
  }

  has(right: string): boolean {
    return this.rights.has(right);
  }

  clear(): void {
    this.rights.clear();
  }

  /** A snapshot of the granted rights. */
  get granted(): ReadonlySet<string> {
    return new Set(this.rights);
  }

  /** Whether an access condition of `apdu-specs/ssse.json` is met: `free`, `never` or a right. */
  satisfies(condition: AccessCondition): boolean {
    if (condition === 'free') return true;
    if (condition === 'never') return false;
    return this.rights.has(condition);
  }
}
