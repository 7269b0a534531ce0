import { describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SELECT_SSSE, SSSE_NAME, send } from './sim-helpers.js';

/** v1-zhang-san's FCI, written out from docs/reference/card-spec.md §1. */
const FCI = `6F1C840F${SSSE_NAME}A50988011E9F0C03860101`;

function pending() {
  const card = createSimulatedCard('v1-zhang-san');
  expect(send(card, SELECT_SSSE)).toBe('611E');
  return card;
}

describe('GET RESPONSE (docs/reference/card-spec.md §1, T=0 chaining)', () => {
  it('Le = bytes left -> all of them with 9000, then nothing is left', () => {
    const card = pending();
    expect(send(card, '00C000001E')).toBe(`${FCI}9000`);
    expect(send(card, '00C000001E')).toBe('6985');
  });

  it('Le < bytes left -> Le bytes and 61 rr, chained to the end', () => {
    const card = pending();
    expect(send(card, '00C0000010')).toBe(`${FCI.slice(0, 32)}610E`);
    expect(send(card, '00C0000008')).toBe(`${FCI.slice(32, 48)}6106`);
    expect(send(card, '00C0000006')).toBe(`${FCI.slice(48)}9000`);
    expect(send(card, '00C0000001')).toBe('6985');
  });

  it('Le > bytes left, Le = 00 or no Le -> 6Cxx and the bytes stay pending', () => {
    const card = pending();
    expect(send(card, '00C000001F')).toBe('6C1E');
    expect(send(card, '00C0000000')).toBe('6C1E');
    expect(send(card, '00C00000')).toBe('6C1E');
    expect(send(card, '00C0000010')).toBe(`${FCI.slice(0, 32)}610E`);
    expect(send(card, '00C000000F')).toBe('6C0E');
    expect(send(card, '00C000000E')).toBe(`${FCI.slice(32)}9000`);
  });

  it('nothing pending -> 6985', () => {
    expect(send(createSimulatedCard('demo'), '00C000001E')).toBe('6985');
  });

  it('any other command discards the pending bytes', () => {
    for (const other of ['00A4020002EF05', '00B2010400', '00CA000000', '80C000001E', '00A4']) {
      const card = pending();
      send(card, other);
      expect(send(card, '00C000001E')).toBe('6985');
    }
  });

  it('P1-P2 other than 0000 -> 6A86 (and the bytes are still pending)', () => {
    const card = pending();
    expect(send(card, '00C001001E')).toBe('6A86');
    expect(send(card, '00C000001E')).toBe(`${FCI}9000`);
  });
});
