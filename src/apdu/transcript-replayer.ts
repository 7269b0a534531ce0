import { fromHex, toHex } from '../core/hex.js';
import { ApduError } from './apdu-error.js';
import { maskCommandHex } from './mask-secrets.js';
import type { TranscriptExchange } from './transcript.js';
import type { Transmitter } from './transmitter.js';

/**
 * A transport that plays a card from a transcript, in strict order: each command must equal
 * the next `=>` line (compared in masked form, so masked PIN commands replay), else a
 * TRANSCRIPT_MISMATCH error naming the line, expected and actual.
 */
export class TranscriptReplayer implements Transmitter {
  private next = 0;

  constructor(
    private readonly exchanges: readonly TranscriptExchange[],
    private readonly source = 'transcript',
  ) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const actual = maskCommandHex(command);
    const expected = this.exchanges[this.next];
    if (!expected) {
      throw new ApduError('TRANSCRIPT_EXHAUSTED', `${this.source}: no exchange left for command ${actual}`);
    }
    if (expected.command !== actual) {
      throw new ApduError(
        'TRANSCRIPT_MISMATCH',
        `${this.source}:${expected.line}: expected => ${expected.command}, got => ${actual}`,
      );
    }
    this.next++;
    return fromHex(expected.response);
  }

  get remaining(): number {
    return this.exchanges.length - this.next;
  }

  /** Throws when exchanges were left unplayed (the reader sent fewer commands than recorded). */
  assertComplete(): void {
    if (this.remaining > 0) {
      const e = this.exchanges[this.next]!;
      throw new ApduError('TRANSCRIPT_INCOMPLETE', `${this.source}:${e.line}: ${this.remaining} exchange(s) not played, next => ${e.command}`);
    }
  }
}

/**
 * Plays the commands of a transcript against a card (e.g. the simulator) and checks each
 * response byte for byte. Masked commands cannot be sent and are refused.
 */
export async function verifyTranscript(exchanges: readonly TranscriptExchange[], card: Transmitter, source = 'transcript'): Promise<void> {
  for (const e of exchanges) {
    if (e.command.includes('*')) throw new ApduError('BAD_TRANSCRIPT', `${source}:${e.line}: masked command cannot be sent to a card`);
    const response = toHex(await card.transmit(fromHex(e.command)));
    if (response !== e.response) {
      throw new ApduError('TRANSCRIPT_MISMATCH', `${source}:${e.line}: => ${e.command}: expected <= ${e.response}, card answered <= ${response}`);
    }
  }
}
