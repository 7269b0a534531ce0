import { describe, expect, it } from 'vitest';
import { specs } from '../../../src/specs/load-specs.js';
import { SW, moreData, wrongLe } from '../../../simulators/status.js';

describe('simulator status words', () => {
  it('each constant is the entry with the same code in apdu-specs/status-words.json', () => {
    const table = new Map(specs().statusWords.map((e) => [e.code, e.sw]));
    for (const [code, sw] of Object.entries(SW)) {
      if (code === 'CARD_BLOCKED') continue;
      expect(table.get(code), code).toBe(sw.toString(16).toUpperCase().padStart(4, '0'));
    }
  });

  it('the card-blocked answer is the one the card layer reads as CARD_BLOCKED (one table for both)', () => {
    expect(specs().commandStatusWords['security command']!.find((e) => e.outcome === 'CARD_BLOCKED')?.sw).toBe(SW.CARD_BLOCKED.toString(16).toUpperCase());
    expect(specs().commandStatusWords['SELECT SSSE']!.find((e) => e.outcome === 'APPLICATION_BLOCKED')?.sw).toBe(SW.APPLICATION_BLOCKED.toString(16));
  });

  it('61xx and 6Cxx', () => {
    expect(moreData(0x1e)).toBe(0x611e);
    expect(moreData(256)).toBe(0x6100);
    expect(wrongLe(0x12)).toBe(0x6c12);
    expect(wrongLe(256)).toBe(0x6c00);
  });
});
