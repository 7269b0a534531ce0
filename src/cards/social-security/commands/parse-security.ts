import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { swHex } from '../../../apdu/response-apdu.js';

/**
 * What a status word of a PIN or key command says about a try counter (card-spec §3):
 * `90 00` ok, `63 Cx` wrong with x tries left, `69 83` blocked. Anything else is `other`.
 */
export type TryCounterAnswer =
  | { readonly kind: 'ok' }
  | { readonly kind: 'wrong'; readonly triesLeft: number }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'other'; readonly sw: string };

export function parseTryCounter(response: ResponseApdu): TryCounterAnswer {
  const sw = response.sw;
  if (sw === 0x9000) return { kind: 'ok' };
  if ((sw & 0xfff0) === 0x63c0) return { kind: 'wrong', triesLeft: sw & 0x0f };
  if (sw === 0x6983) return { kind: 'blocked' };
  return { kind: 'other', sw: swHex(sw) };
}

/** The PIN try status (VERIFY without data): active with tries left, or blocked (card-spec §3). */
export type PinStatus =
  | {
      readonly state: 'active';
      /**
       * Tries left (63Cx). null when the card answered 9000 to the query: some cards do so while
       * the PIN is verified in the current session, without telling the counter.
       */
      readonly triesLeft: number | null;
    }
  | { readonly state: 'blocked' };

/** Parses the answer to the try-status query; `other` status words are returned for the caller to type. */
export function parsePinStatus(response: ResponseApdu): PinStatus | { readonly state: 'other'; readonly sw: string } {
  const a = parseTryCounter(response);
  if (a.kind === 'wrong') return a.triesLeft === 0 ? { state: 'blocked' } : { state: 'active', triesLeft: a.triesLeft };
  if (a.kind === 'blocked') return { state: 'blocked' };
  if (a.kind === 'ok') return { state: 'active', triesLeft: null };
  return { state: 'other', sw: a.sw };
}
