import type { DedicatedFile, ElementaryFile } from './file-system.js';

/**
 * The card's volatile state besides the security status (ISO/IEC 7816-4 §7.1.2 and §7.3.1):
 * current DF, current EF, record pointer and the response bytes waiting for GET RESPONSE. All of
 * it is lost on power-off and reset.
 */
export class CardState {
  currentDf: DedicatedFile;
  currentEf: ElementaryFile | undefined;
  /** Number (1-based) of the current record of the current EF, if any. */
  recordPointer: number | undefined;
  /** Bytes still to be fetched by GET RESPONSE (after `61 xx`). */
  pendingResponse: Uint8Array | undefined;

  constructor(private readonly mf: DedicatedFile) {
    this.currentDf = mf;
  }

  /** Back to the power-on state: the MF is current, nothing else. */
  clear(): void {
    this.selectDf(this.mf);
    this.pendingResponse = undefined;
  }

  selectDf(df: DedicatedFile): void {
    this.currentDf = df;
    this.currentEf = undefined;
    this.recordPointer = undefined;
  }

  /** SELECT of an EF: its DF becomes current, no current record (ISO/IEC 7816-4 §7.3.1). */
  selectEf(ef: ElementaryFile): void {
    this.currentDf = ef.parent ?? this.currentDf;
    this.currentEf = ef;
    this.recordPointer = undefined;
  }

  /** An EF reached by a command (e.g. by SFI) becomes current; the record pointer is kept only for the same EF. */
  useEf(ef: ElementaryFile): void {
    if (this.currentEf !== ef) this.selectEf(ef);
  }
}
