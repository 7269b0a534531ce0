import { CardError } from '../card-error.js';

/** One AFL entry (EMV Book 3 §10.2): SFI, first and last record, records for offline auth. */
export interface AflEntry {
  readonly sfi: number;
  readonly first: number;
  readonly last: number;
  readonly offlineCount: number;
}

/**
 * Parses the application file locator: 4-byte entries, byte 1 = SFI << 3, then first record
 * (>= 1), last record (>= first), count of records for offline data authentication.
 */
export function parseAfl(bytes: Uint8Array): AflEntry[] {
  if (bytes.length % 4 !== 0) throw new CardError('BAD_CARD_DATA', `AFL of ${bytes.length} bytes is not a multiple of 4`);
  const out: AflEntry[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const sfi = bytes[i]! >> 3;
    const [first, last, offlineCount] = [bytes[i + 1]!, bytes[i + 2]!, bytes[i + 3]!];
    if (sfi < 1 || sfi > 30 || (bytes[i]! & 0x07) !== 0) throw new CardError('BAD_CARD_DATA', `AFL entry ${i / 4 + 1}: bad SFI byte`);
    if (first < 1 || last < first) throw new CardError('BAD_CARD_DATA', `AFL entry ${i / 4 + 1}: bad record range ${first}-${last}`);
    if (offlineCount > last - first + 1) throw new CardError('BAD_CARD_DATA', `AFL entry ${i / 4 + 1}: more offline records than records`);
    out.push({ sfi, first, last, offlineCount });
  }
  return out;
}
