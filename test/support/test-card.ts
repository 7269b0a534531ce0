import type { SimulatedCard } from '../../simulators/simulated-card.js';

/** ATR of the tiny test card (a social-security-like historical bytes string). */
export const TEST_ATR_HEX = '3B6D000000814A444686605199000001AC';
export const TEST_ATR = Uint8Array.from(Buffer.from(TEST_ATR_HEX, 'hex'));
/** GET CHALLENGE, 8 bytes (ISO 7816-4 §11.5.3 / §7.5.3 in older editions). */
export const GET_CHALLENGE_8 = Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x08);
export const CHALLENGE = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);

/** Answers GET CHALLENGE(8) with fixed bytes + 9000, everything else 6D00 (INS not supported). */
export function testCardResponse(command: Uint8Array): Uint8Array {
  const same = command.length === GET_CHALLENGE_8.length && command.every((b, i) => b === GET_CHALLENGE_8[i]);
  return same ? Uint8Array.of(...CHALLENGE, 0x90, 0x00) : Uint8Array.of(0x6d, 0x00);
}

/** The same card as a SimulatedCard (for the vpcd client). Counts power events for tests. */
export class TestCard implements SimulatedCard {
  powerOns = 0;
  atr(): Uint8Array {
    return TEST_ATR;
  }
  powerOn(): void {
    this.powerOns++;
  }
  powerOff(): void {}
  reset(): Uint8Array {
    return TEST_ATR;
  }
  execute(command: Uint8Array): Uint8Array {
    return testCardResponse(command);
  }
}
