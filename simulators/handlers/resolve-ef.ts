import type { CardOs } from '../card-os.js';
import type { ElementaryFile } from '../file-system.js';
import { SW } from '../status.js';

/**
 * The EF a READ RECORD / READ BINARY addresses (ISO/IEC 7816-4 §7.2.2, docs/reference/card-spec.md §2): SFI 0 =
 * the current EF (none -> 6986), else the EF with that SFI in the current DF (none -> 6A82).
 * Then the read access condition of the file (not met -> 6982). Returns the EF or a status word.
 */
export function resolveReadableEf(card: CardOs, sfi: number): ElementaryFile | number {
  const ef = sfi === 0 ? card.state.currentEf : card.state.currentDf.efBySfi(sfi);
  if (!ef) return sfi === 0 ? SW.NO_CURRENT_EF : SW.FILE_NOT_FOUND;
  if (!card.security.satisfies(ef.access.read)) return SW.SECURITY_STATUS_NOT_SATISFIED;
  return ef;
}
