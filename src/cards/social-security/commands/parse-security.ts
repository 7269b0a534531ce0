import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { swHex } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';

/**
 * What a status word of a PIN or key command says about a try counter, per the status-word
 * table (apdu-specs/status-words.json, commands VERIFY / EXTERNAL AUTHENTICATE): ok, wrong with x
 * tries left, blocked. Anything else is `other`.
 */
export type TryCounterAnswer =
  | { readonly kind: 'ok' }
  | { readonly kind: 'wrong'; readonly triesLeft: number }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'other'; readonly sw: string };

export function parseTryCounter(response: ResponseApdu, command: 'VERIFY' | 'EXTERNAL AUTHENTICATE' = 'VERIFY'): TryCounterAnswer {
  const o = statusWords().outcome(command, response.sw);
  switch (o?.outcome) {
    case 'OK':
      return { kind: 'ok' };
    case 'WRONG':
      return { kind: 'wrong', triesLeft: o.param ?? 0 };
    case 'BLOCKED':
      return { kind: 'blocked' };
    default:
      return { kind: 'other', sw: swHex(response.sw) };
  }
}

/** The PIN try status (VERIFY without data): active with tries left, or blocked (docs/reference/card-spec.md §3). */
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
