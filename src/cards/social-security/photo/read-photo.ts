import type { KeyService } from '../../../keys/key-service.js';
import type { FileSpec } from '../../../specs/spec-schemas.js';
import { CardError } from '../../card-error.js';
import { authenticateExternal } from '../auth/external-authenticate.js';
import type { SessionAccess } from '../session-access.js';
import { jpegExtent } from './jpeg-extent.js';
import { readTransparentUntil, type ContentEnd, type ExtendedLeMode } from './read-transparent-until.js';

export interface ReadPhotoOptions {
  /** Key source for EXTERNAL AUTHENTICATE with RKSSSE (card-spec §1: EF08 is read under RKSSSE). */
  readonly keys?: KeyService | undefined;
  /** Extended Le: try it (default), insist on it, or never send it. */
  readonly extendedLe?: ExtendedLeMode | undefined;
}

export type PhotoRead =
  | {
      readonly status: 'read';
      /** The JPEG, SOI to EOI: the padding after it in EF08 is not part of it. */
      readonly jpeg: Uint8Array;
      /** READ BINARY commands sent for it. */
      readonly commands: number;
      readonly path: 'extended' | 'short';
      readonly authenticated: boolean;
    }
  /** EF08 holds no JPEG (it does not start with FF D8): a card issued without a photo. */
  | { readonly status: 'absent'; readonly commands: number; readonly authenticated: boolean };

/**
 * The holder's photo from EF08 (card-spec §1: transparent, 0x1000 bytes, JPEG, read access
 * RKSSSE): EXTERNAL AUTHENTICATE with RKSSSE when keys are given, then READ BINARY with the fewest
 * commands the card accepts, stopping at the JPEG end marker. Without keys the read is tried as
 * is; a card that wants the key answers 6982, reported as CardError NEEDS_AUTHENTICATION.
 */
export async function readPhoto(session: SessionAccess, photoFile: FileSpec, options: ReadPhotoOptions = {}): Promise<PhotoRead> {
  await session.ensureSelected();
  const authenticated = options.keys !== undefined;
  if (options.keys) await authenticateExternal(session, options.keys, 'RKSSSE');
  return readPhotoContent(session, photoFile, options.extendedLe ?? 'auto', authenticated);
}

/** EF08 with the rights the card holds now (no SELECT: an EXTERNAL AUTHENTICATE just done stays in force). */
export async function readPhotoContent(session: SessionAccess, photoFile: FileSpec, extendedLe: ExtendedLeMode, authenticated: boolean): Promise<PhotoRead> {
  const r = await readTransparentUntil(session.channel, photoFile, photoEnd, extendedLe);
  if (r.status === 'denied') {
    if (authenticated) throw new CardError('UNEXPECTED_STATUS', `${photoFile.id} still refused (${r.sw}) after EXTERNAL AUTHENTICATE with RKSSSE`, r.sw);
    throw new CardError('NEEDS_AUTHENTICATION', `${photoFile.id} (photo) needs EXTERNAL AUTHENTICATE with the RKSSSE key: give a key source`, r.sw);
  }
  const extent = jpegExtent(r.data);
  if (extent.status === 'not-jpeg') return { status: 'absent', commands: r.commands, authenticated };
  if (extent.status === 'malformed') throw new CardError('BAD_CARD_DATA', `${photoFile.id}: JPEG marker syntax broken at byte ${extent.at}: ${extent.reason}`);
  if (extent.status === 'incomplete') throw new CardError('BAD_CARD_DATA', `${photoFile.id}: the JPEG has no end marker within the file's ${photoFile.size ?? 0} bytes`);
  return { status: 'read', jpeg: r.data, commands: r.commands, path: r.path, authenticated };
}

/** Stop reading at EOI, or at once when the file does not start like a JPEG. */
function photoEnd(bytes: Uint8Array): ContentEnd {
  const e = jpegExtent(bytes);
  if (e.status === 'complete') return { done: true, length: e.length };
  if (e.status === 'not-jpeg' || e.status === 'malformed') return { done: true, length: bytes.length };
  return { done: false };
}
