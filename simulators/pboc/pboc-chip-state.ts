/**
 * The persistent state of the simulated financial application (EEPROM on a real chip): the
 * application transaction counter of each ADF, which only GET PROCESSING OPTIONS moves (EMV
 * Book 3 §10.1, JR/T 0025). Nothing of SSSE lives here and nothing here is touched by SSSE
 * commands: the two applications are behind the chip's firewall (docs/reference/card-spec.md §1).
 */
export class PbocChipState {
  private readonly atcs = new Map<string, number>();
  /** GPO commands answered 9000, over all ADFs (tests assert the default read sends none). */
  gpoCount = 0;

  constructor(aids: readonly string[], initialAtc: number) {
    for (const aid of aids) this.atcs.set(aid, initialAtc);
  }

  atc(aid: string): number | undefined {
    return this.atcs.get(aid);
  }

  /** One transaction started: ATC + 1; false when the counter is exhausted (the card refuses GPO). */
  increment(aid: string): boolean {
    const now = this.atcs.get(aid);
    if (now === undefined || now >= 0xffff) return false;
    this.atcs.set(aid, now + 1);
    this.gpoCount++;
    return true;
  }

  /** A read-only view: ATC by AID and the GPO count. */
  snapshot(): { readonly atc: Readonly<Record<string, number>>; readonly gpoCount: number } {
    return { atc: Object.fromEntries(this.atcs), gpoCount: this.gpoCount };
  }
}
