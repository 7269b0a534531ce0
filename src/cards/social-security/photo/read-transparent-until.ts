import type { ApduChannel } from '../../../apdu/apdu-channel.js';
import { swHex } from '../../../apdu/response-apdu.js';
import { concatBytes } from '../../../core/hex.js';
import type { FileSpec } from '../../../specs/spec-schemas.js';
import { CardError } from '../../card-error.js';
import { securityStatusError } from '../card-status-words.js';
import { buildReadBinary } from '../commands/read-binary.js';

/**
 * How to ask for a transparent EF (ISO/IEC 7816-4 §5.1): one READ BINARY with an extended Le for
 * the whole file, or short reads of up to 256 bytes. `auto` tries the extended read first and
 * falls back to short reads when the card refuses the length (6700: a T=0 chip has no extended
 * fields) — one command more on such a card, 15 fewer on a card that takes it.
 */
export type ExtendedLeMode = 'auto' | 'always' | 'never';

/** What `isComplete` says about the bytes read so far: the content's length, or keep reading. */
export type ContentEnd = { readonly done: true; readonly length: number } | { readonly done: false };

export type TransparentRead =
  | {
      readonly status: 'read';
      /** The content up to where `isComplete` said it ends (or the whole file). */
      readonly data: Uint8Array;
      /** READ BINARY commands this read sent (a 6Cxx retry below us is not counted). */
      readonly commands: number;
      readonly path: 'extended' | 'short';
    }
  /** 6982: the file needs an access right we do not hold (EF07/EF08 before RKSSSE). */
  | { readonly status: 'denied'; readonly sw: string; readonly commands: number };

const SW_OK = 0x9000;
/** 6282: end of file reached before Ne bytes (ISO/IEC 7816-4 §11.2.3): the data is still good. */
const SW_END_OF_DATA = 0x6282;
const SW_SECURITY = 0x6982;
const SW_WRONG_LENGTH = 0x6700;
const SW_OFFSET_PAST_END = 0x6b00;
const SHORT_MAX = 256;

/**
 * Reads a transparent EF by SFI with the fewest READ BINARY commands the card accepts, stopping
 * as soon as `isComplete` finds the end of the content (e.g. a JPEG's EOI) so the padding after
 * it is not transferred. The file size comes from the spec table (card-spec §1).
 */
export async function readTransparentUntil(
  channel: ApduChannel,
  file: FileSpec,
  isComplete: (bytes: Uint8Array) => ContentEnd,
  mode: ExtendedLeMode = 'auto',
): Promise<TransparentRead> {
  const size = file.size ?? 0;
  if (file.structure !== 'transparent' || size <= 0) throw new CardError('BAD_CARD_DATA', `spec table: ${file.id} is not a transparent EF with a size`);
  let commands = 0;
  let chunks: Uint8Array[] = [];
  let path: 'extended' | 'short' = 'short';

  if (mode !== 'never' && size > SHORT_MAX) {
    const r = await channel.send({ ...buildReadBinary({ sfi: file.sfi, offset: 0, ne: size }), extended: true });
    commands++;
    if (r.sw === SW_SECURITY) return { status: 'denied', sw: swHex(r.sw), commands };
    if (r.sw === SW_OK || r.sw === SW_END_OF_DATA) {
      path = 'extended';
      chunks = [r.data];
      const end = isComplete(r.data);
      if (end.done || r.data.length >= size || r.sw === SW_END_OF_DATA) return finish(r.data, end, commands, path);
    } else if (r.sw !== SW_WRONG_LENGTH || mode === 'always') {
      throw readError(r.sw, file, 0);
    }
  }

  let offset = chunks.reduce((n, c) => n + c.length, 0);
  while (offset < size) {
    const ne = Math.min(SHORT_MAX, size - offset);
    // The first chunk selects the EF by SFI (offset fits P2); later ones use the current EF.
    const r = await channel.send(buildReadBinary(offset === 0 ? { sfi: file.sfi, offset, ne } : { offset, ne }));
    commands++;
    if (r.sw === SW_SECURITY) return { status: 'denied', sw: swHex(r.sw), commands };
    if (r.sw === SW_OFFSET_PAST_END) break;
    if (r.sw !== SW_OK && r.sw !== SW_END_OF_DATA) throw readError(r.sw, file, offset);
    if (r.data.length === 0) throw new CardError('BAD_CARD_DATA', `READ BINARY ${file.id} at offset ${offset} returned no data`, swHex(r.sw));
    chunks.push(r.data);
    offset += r.data.length;
    const all = concatBytes(...chunks);
    chunks = [all];
    const end = isComplete(all);
    if (end.done) return finish(all, end, commands, path);
  }
  const all = concatBytes(...chunks);
  return finish(all, isComplete(all), commands, path);
}

function finish(all: Uint8Array, end: ContentEnd, commands: number, path: 'extended' | 'short'): TransparentRead {
  return { status: 'read', data: end.done ? all.slice(0, end.length) : all, commands, path };
}

function readError(sw: number, file: FileSpec, offset: number) {
  return securityStatusError(sw, `READ BINARY ${file.id} at offset ${offset}`);
}
