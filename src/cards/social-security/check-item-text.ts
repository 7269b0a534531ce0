import type { RecordSpec } from '../../specs/spec-schemas.js';
import type { CardWarning } from './social-security-model.js';

/**
 * Format checks of one decoded item against its card-spec §2 format, as warnings (the value is
 * still returned: real cards carry oddities that must be reported, not hidden):
 * - `cn` (BCD, F-padded) holds decimal digits only -- `1101A5` is not a region code (CN_NOT_DIGITS);
 *   items with `content: hex` (the card identification code) are hex by definition;
 * - `an` text (00-padded) stops at the padding: a 00 followed by more bytes means the text was cut
 *   there (TEXT_CUT_AT_NUL: "王" out of "王\0小明"); control characters are never text
 *   (TEXT_CONTROL_CHARS).
 */
export function checkItemText(fileId: string, spec: RecordSpec, raw: Uint8Array, text: string, warnings: CardWarning[]): void {
  const field = `${MODEL_PART[fileId] ?? fileId}.${spec.item}`;
  if (spec.format === 'cn') {
    if (spec.content !== 'hex' && /[^0-9]/.test(text)) {
      warnings.push({ code: 'CN_NOT_DIGITS', field, message: `${fileId} tag ${spec.tag} (${spec.item}) holds a non-decimal BCD nibble` });
    }
    return;
  }
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0x00) end--;
  if (raw.subarray(0, end).includes(0x00)) {
    warnings.push({ code: 'TEXT_CUT_AT_NUL', field, message: `${fileId} tag ${spec.tag} (${spec.item}) has a 00 byte inside the text: only the part before it is shown` });
  }
  if (/\p{Cc}/u.test(text)) {
    warnings.push({ code: 'TEXT_CONTROL_CHARS', field, message: `${fileId} tag ${spec.tag} (${spec.item}) holds control characters` });
  }
}

const MODEL_PART: Record<string, string> = { EF05: 'card', EF06: 'holder' };

/** Han characters of a name, with the middle dot of transliterated names (e.g. 买买提·吐尔逊). */
const HAN_NAME = /^[\p{Script=Han}·•]+$/u;
/** A name in Latin letters (foreign holders), words separated by spaces, dots, hyphens, apostrophes. */
const LATIN_NAME = /^[A-Za-z]+(?:[ .'·-][A-Za-z]+)*\.?$/;

/**
 * The holder's name (EF06 09 + 4E, GBK): Han characters (with `·`) or Latin letters, not a mix
 * and nothing else. GBK's user-defined area (decoded to U+E000-U+F8FF), ASCII or symbols such as
 * `€` after a Chinese name, or digits, mean the bytes are not the name the card was written with.
 */
export function checkName(name: string, warnings: CardWarning[]): void {
  if (name === '' || HAN_NAME.test(name) || LATIN_NAME.test(name)) return;
  const privateUse = /[\uE000-\uF8FF]/u.test(name);
  warnings.push({
    code: 'NAME_CHARACTERS',
    field: 'holder.name',
    message: privateUse
      ? 'the name holds characters of the GBK user-defined area (no standard glyph)'
      : 'the name is neither Han characters (with ·) nor Latin letters: it holds other characters or a mix',
  });
}
