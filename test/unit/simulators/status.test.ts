import { describe, expect, it } from 'vitest';
import { specs } from '../../../src/specs/load-specs.js';
import { SW, moreData, wrongLe } from '../../../simulators/status.js';

describe('simulator status words', () => {
  it('each constant is the entry with the same code in apdu-specs/status-words.json', () => {
    const table = new Map(specs().statusWords.map((e) => [e.code, e.sw]));
    for (const [code, sw] of Object.entries(SW)) {
      expect(table.get(code), code).toBe(sw.toString(16).toUpperCase().padStart(4, '0'));
    }
  });

  it('61xx and 6Cxx', () => {
    expect(moreData(0x1e)).toBe(0x611e);
    expect(moreData(256)).toBe(0x6100);
    expect(wrongLe(0x12)).toBe(0x6c12);
    expect(wrongLe(256)).toBe(0x6c00);
  });
});
