import type { SsseSpec } from '../../specs/spec-schemas.js';
import type { SsseFci } from './commands/select-ssse.js';
import type { CardWarning } from './social-security-model.js';

/**
 * The SSSE FCI against card-spec §1: the DF name (tag 84) is the name that was selected, and an
 * FCI carries the algorithm (tag 86, `01` / `02` / `03`). A different name means another
 * application answered; a missing or mangled algorithm tag leaves the key service guessing.
 */
export function checkFci(fci: SsseFci, spec: SsseSpec): CardWarning[] {
  const out: CardWarning[] = [];
  if (fci.dfName !== spec.application.dfName) {
    out.push({ code: 'FCI_DF_NAME_MISMATCH', field: 'application.dfName', message: 'the FCI names another application than the one selected (tag 84)' });
  }
  if (!fci.fciPresent) {
    out.push({ code: 'FCI_MISSING', field: 'application', message: 'SELECT SSSE answered 9000 without an FCI: the DF name and the algorithm (tag 86) are not known' });
  } else if (fci.algorithmId === undefined) {
    out.push({ code: 'FCI_ALGORITHM_MISSING', field: 'application.algorithm', message: 'the FCI has no valid algorithm tag 86 (one byte)' });
  }
  return out;
}
