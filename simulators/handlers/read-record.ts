import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import { concatBytes } from '../../src/core/hex.js';
import type { CardOs } from '../card-os.js';
import type { Reply } from '../instruction.js';
import { answerExactLength } from '../le-rule.js';
import { findOccurrence, OCCURRENCE_BY_MODE } from '../record-search.js';
import { SW } from '../status.js';
import { resolveReadableEf } from './resolve-ef.js';

/** READ RECORD P2 bits 3-1 (ISO/IEC 7816-4 §11.4.3, table 59; docs/reference/card-spec.md §2). */
const RECORD_NUMBER = 0b100; // record number P1 (P1 = 00: current record)
const TO_LAST = 0b101; // records P1 up to the last, concatenated
/** P2 bits 8-4 = 11111 is reserved (ISO/IEC 7816-4 §11.4.3). */
const RESERVED_SFI = 0x1f;

/**
 * READ RECORD `00 B2 P1 P2 Le`. P2 bits 8-4: SFI (0 = current EF), bits 3-1: `100` record P1,
 * `000`/`001`/`010`/`011` first/last/next/previous record whose tag is P1, `101` records P1 to
 * the last (refused with 6A86 when the profile says `readToEnd: false`). The EF read becomes the
 * current EF and the last record read the current record. Missing record -> 6A83; the answer
 * follows the Le rule (docs/reference/card-spec.md §2, `le-rule.ts`).
 */
export function readRecord(command: CommandApdu, card: CardOs): Reply {
  const { p1, p2 } = command;
  if (command.data.length > 0) return { sw: SW.WRONG_LENGTH }; // case 2 command: no data field
  const sfi = p2 >> 3;
  const mode = p2 & 0b111;
  if (sfi === RESERVED_SFI || mode > TO_LAST || (mode === TO_LAST && !card.behaviour.readToEnd)) return { sw: SW.INCORRECT_P1P2 };

  const ef = resolveReadableEf(card, sfi);
  if (typeof ef === 'number') return { sw: ef };
  if (ef.kind !== 'records') return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE };
  card.state.useEf(ef);
  const pointer = card.state.recordPointer;

  let numbers: number[];
  if (mode === RECORD_NUMBER || mode === TO_LAST) {
    const from = p1 === 0 ? pointer : p1;
    if (from === undefined || !ef.record(from)) return { sw: SW.RECORD_NOT_FOUND };
    numbers = mode === RECORD_NUMBER ? [from] : ef.records.map((_, i) => i + 1).filter((n) => n >= from);
  } else {
    const found = findOccurrence(ef, p1, OCCURRENCE_BY_MODE[mode]!, pointer);
    if (found === undefined) return { sw: SW.RECORD_NOT_FOUND };
    numbers = [found];
  }

  const answer = answerExactLength(concatBytes(...numbers.map((n) => ef.record(n)!)), command.ne, card.behaviour.leZero);
  // The record pointer moves only when the records were delivered: after 6Cxx the host repeats
  // the same command, which must address the same record (a `next` read must not skip one).
  if (answer.sw === SW.OK) card.state.recordPointer = numbers[numbers.length - 1];
  return answer;
}
