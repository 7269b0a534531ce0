import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import type { CardOs } from '../card-os.js';
import { MF_FID, type DedicatedFile, type FileNode } from '../file-system.js';
import type { Reply } from '../instruction.js';
import { moreData, SW } from '../status.js';

/** SELECT P1 (ISO/IEC 7816-4 §11.2.2, table 39; docs/reference/card-spec.md §1-§2). */
const BY_FILE_ID = 0x00; // MF, DF or EF by file id (empty data = MF)
const EF_UNDER_CURRENT_DF = 0x02;
const BY_DF_NAME = 0x04;
/** SELECT P2: first or only occurrence with FCI; 0C = no response data. */
const RETURN_FCI = 0x00;
const NO_RESPONSE_DATA = 0x0c;

/**
 * SELECT `00 A4 P1 P2 Lc data`: by DF name (SSSE `sx1.sh.社会保障`, sub-application AIDs), by
 * file id (`00 A4 00 00 02 EF05` and `00 A4 02 00 02 EF05` both work, docs/reference/card-spec.md §2; 3F00 = MF).
 * A DF answers its FCI as `61 xx` (then GET RESPONSE) or as data with 9000, per profile; an EF
 * answers 9000 without data. Selecting a DF clears the security status. Not found -> 6A82.
 */
export function select(command: CommandApdu, card: CardOs): Reply {
  const { p1, p2, data } = command;
  if (p2 !== RETURN_FCI && p2 !== NO_RESPONSE_DATA) return { sw: SW.INCORRECT_P1P2 };
  let target: FileNode | undefined;
  switch (p1) {
    case BY_DF_NAME:
      if (data.length < 1 || data.length > 16) return { sw: SW.WRONG_LENGTH };
      target = card.fs.dfByName(data);
      break;
    case BY_FILE_ID:
      if (data.length === 0) target = card.fs.mf;
      else if (data.length !== 2) return { sw: SW.WRONG_LENGTH };
      else target = byFileId(card, (data[0]! << 8) | data[1]!);
      break;
    case EF_UNDER_CURRENT_DF: {
      if (data.length !== 2) return { sw: SW.WRONG_LENGTH };
      const child = card.state.currentDf.childByFid((data[0]! << 8) | data[1]!);
      target = child?.kind === 'DF' ? undefined : child;
      break;
    }
    default:
      return { sw: SW.INCORRECT_P1P2 };
  }
  if (!target) return { sw: SW.FILE_NOT_FOUND };
  if (target.kind !== 'DF') {
    card.state.selectEf(target);
    return { sw: SW.OK };
  }
  card.state.selectDf(target);
  card.security.clear();
  if (p2 === NO_RESPONSE_DATA || !target.fci) return { sw: SW.OK };
  if (card.behaviour.selectResponse === 'data') return { sw: SW.OK, data: target.fci };
  // T=0 style (docs/reference/card-spec.md §1): `61 xx`, the host fetches the FCI with GET RESPONSE.
  card.state.pendingResponse = target.fci;
  return { sw: moreData(target.fci.length) };
}

/**
 * P1 = 00 search order (ISO/IEC 7816-4 §7.1.1): the MF by 3F00, then the current DF itself and
 * its children, then its parent and the parent's children.
 */
function byFileId(card: CardOs, fid: number): FileNode | undefined {
  if (fid === MF_FID) return card.fs.mf;
  const within = (df: DedicatedFile | undefined): FileNode | undefined =>
    df === undefined ? undefined : df.fid === fid ? df : df.childByFid(fid);
  const current = card.state.currentDf;
  return within(current) ?? within(current.parent);
}
