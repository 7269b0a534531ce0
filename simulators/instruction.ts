import type { CommandApdu } from '../src/apdu/command-apdu.js';
import type { CardOs } from './card-os.js';

/**
 * The instruction table's vocabulary (vsmartcard vicc style): a handler takes the decoded
 * command and the card, and returns a status word with optional data. Handlers never throw for
 * bad input: they answer the ISO/IEC 7816-4 status word.
 */
export interface Reply {
  readonly sw: number;
  readonly data?: Uint8Array;
}

export type InstructionHandler = (command: CommandApdu, card: CardOs) => Reply;

export interface InstructionOptions {
  /** CLA bytes the instruction accepts (default `[0x00]`); others answer 6E00. */
  readonly classes?: readonly number[];
  /**
   * True only for GET RESPONSE: the pending response bytes survive this command. Every other
   * command discards them (ISO/IEC 7816-3 §12.2.2 / 7816-4 §5.3.4, T=0 response chaining).
   */
  readonly keepsPendingResponse?: boolean;
  /** For listings and docs, e.g. `SELECT`. */
  readonly name?: string;
}

export interface InstructionEntry {
  readonly ins: number;
  readonly handler: InstructionHandler;
  readonly classes: readonly number[];
  readonly keepsPendingResponse: boolean;
  readonly name: string;
}

/**
 * Runs before the instruction table on the raw command bytes; a Reply ends the command there.
 * For card-wide states added later (e.g. CARD BLOCK: every command answers 6A81, docs/reference/card-spec.md §3).
 */
export type CommandFilter = (command: Uint8Array, card: CardOs) => Reply | undefined;

export function reply(sw: number, data?: Uint8Array): Reply {
  return data === undefined ? { sw } : { sw, data };
}

/** Instruction bytes of the commands the simulator implements (ISO/IEC 7816-4 §11, docs/reference/card-spec.md §1-§3). */
export const INS = {
  SELECT: 0xa4,
  READ_RECORD: 0xb2,
  READ_BINARY: 0xb0,
  GET_RESPONSE: 0xc0,
  VERIFY: 0x20,
  CHANGE_PIN: 0x5e,
  GET_CHALLENGE: 0x84,
  INTERNAL_AUTHENTICATE: 0x88,
  EXTERNAL_AUTHENTICATE: 0x82,
  PIN_RELOAD_UNBLOCK: 0x24,
  APPLICATION_BLOCK: 0x1e,
  CARD_BLOCK: 0x16,
} as const;
