import type { PhotoRead } from '../../cards/social-security/photo/read-photo.js';
import type { ExtendedLeMode } from '../../cards/social-security/photo/read-transparent-until.js';
import { toHex } from '../../core/hex.js';
import type { KeyService } from '../../keys/key-service.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { onCard, withKeys, withOptionalKeys } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** The holder's photo (EF08) and the card it came from. */
export interface CardPhoto {
  readonly reader: ReaderInfo;
  /** The card's ATR, hex. */
  readonly atr: string;
  readonly photo: PhotoRead;
}

export interface ReadPhotoOptions {
  /**
   * `if-chosen` (default; the CLI): authenticate with the key source the flags chose, else read
   * without keys (the card then answers NEEDS_AUTHENTICATION); `always` (the daemon): lease the
   * configured keys, as the counter operations do.
   */
  readonly keys?: 'if-chosen' | 'always' | undefined;
  readonly extendedLe?: ExtendedLeMode | undefined;
}

/**
 * `photo`: SELECT SSSE, EF05, EXTERNAL AUTHENTICATE (RKSSSE), then EF08 with the fewest READ
 * BINARY commands up to the JPEG end (docs/collect.md "Reading the photo"). An identification
 * read like `read`: no registry rule; the photo is returned to the caller and written nowhere
 * (no audit row, no log line carries it).
 */
export async function readPhoto(deps: OperationDeps, target: CardTarget, options: ReadPhotoOptions = {}): Promise<CardPhoto> {
  return onCard(deps, 'card.photo', target, async (c) => {
    const atr = toHex(c.op.transport.atr);
    const read = (keys: KeyService | undefined) => c.session.readPhoto({ keys, extendedLe: options.extendedLe });
    const photo = options.keys === 'always' ? await withKeys(deps, c, read) : await withOptionalKeys(deps, c, read);
    return { reader: c.reader, atr, photo };
  });
}
